"""The restore guard names the database the outbox runs on from the start, so
that any dump of it restored elsewhere holds its outbox."""

from django.db import migrations


def create_guard(apps, schema_editor):
    from agora.outbox.delivery import database_fingerprint

    apps.get_model("outbox", "OutboxGuard").objects.get_or_create(pk=1, defaults={"fingerprint": database_fingerprint()})


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]
    operations = [migrations.RunPython(create_guard, migrations.RunPython.noop)]
