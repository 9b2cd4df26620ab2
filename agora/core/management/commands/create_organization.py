from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agora.core.services import create_organization


class Command(BaseCommand):
    help = (
        "Create an organization and invite its first administrator, as /system/organizations/ does: for the "
        "first organization of an installation, whose site /system/ is not reachable before it exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--host", required=True, help="Host name of its site, e.g. participation.ville.fr")
        parser.add_argument("--admin-email", required=True, help="The first administrator, invited by e-mail.")
        parser.add_argument("--languages", default="fr,en", help="Comma-separated language codes (default fr,en).")
        parser.add_argument("--default-language", default="fr")
        parser.add_argument("--platform-admin", help="E-mail of the platform admin acting (default: the only one).")

    def handle(self, *args, name, host, admin_email, languages, default_language, platform_admin, **options):
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        if platform_admin:
            admins = admins.filter(email__iexact=platform_admin)
        if admins.count() != 1:
            raise CommandError(
                "Name the platform admin acting with --platform-admin (create one with `manage.py createsuperuser`)."
            )
        try:
            organization, invitation = create_organization(
                actor=admins.get(),
                name=name,
                host=host,
                default_language=default_language,
                available_languages=[code.strip() for code in languages.split(",") if code.strip()],
                first_admin_email=admin_email,
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {organization.name} at {organization.host}; invitation sent to {invitation.email}."
            )
        )
