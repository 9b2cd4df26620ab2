"""Pictures stored before agora.core.images: strip their metadata and make
their smaller copies. Models name their pictures with a `PICTURES`
attribute: [(file field, variants field, filter of the rows that are pictures)]."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from agora.core import images
from agora.core.files import delete_file_after_commit


def picture_fields():
    for model in apps.get_models():
        for file_field, variants_field, condition in getattr(model, "PICTURES", ()):
            yield model, file_field, variants_field, condition


def _redo(model, pk, file_field, variants_field) -> None:
    with transaction.atomic():
        row = model._base_manager.select_for_update().get(pk=pk)
        stored = getattr(row, file_field)
        old_name = stored.name
        with stored.storage.open(old_name, "rb") as handle:
            cleaned = images.clean_image(handle)
        stored.save(cleaned.name, cleaned, save=False)  # a new random name (agora.core.files)
        updated = [file_field]
        if hasattr(row, "size") and file_field == "file":
            row.size, updated = cleaned.size, [*updated, "size"]
        setattr(row, variants_field, images.make_variants(stored.storage, stored.name))
        row.save(update_fields=[*updated, variants_field])
        delete_file_after_commit(stored.storage, old_name)


class Command(BaseCommand):
    help = (
        "Pictures without smaller copies (stored before this release): list them; with --apply, store "
        "each again upright and without metadata, with its copies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Do it (default: only list them).")

    def handle(self, *args, apply=False, **options):
        done = failed = found = 0
        for model, file_field, variants_field, condition in picture_fields():
            rows = (
                model._base_manager.filter(**condition)
                .exclude(**{file_field: ""})
                .filter(**{variants_field: {}})
                .values_list("pk", flat=True)
            )
            for pk in rows.iterator():
                found += 1
                label = f"{model._meta.label}\t{pk}"
                if not apply:
                    self.stdout.write(label)
                    continue
                try:
                    _redo(model, pk, file_field, variants_field)
                except (OSError, images.NotAPicture) as error:
                    failed += 1
                    self.stderr.write(f"{label}\tnot done: {error}")
                    continue
                done += 1
                self.stdout.write(f"{label}\tdone")
        if apply:
            self.stdout.write(f"{done} picture(s) stored again with their copies, {failed} could not be.")
        else:
            self.stdout.write(f"{found} picture(s) without copies; run with --apply to make them.")
