from django.core.management.base import BaseCommand

from agora.accounts.mfa import reencrypt_all


class Command(BaseCommand):
    help = (
        "Encrypt every two-factor secret with the current AGORA_SECRET_KEY. Run it after a key "
        "rotation, while the old key is still in AGORA_SECRET_KEY_FALLBACKS."
    )

    def handle(self, *args, **options):
        changed, unreadable = reencrypt_all()
        self.stdout.write(f"{changed} authenticator(s) re-encrypted.")
        if unreadable:
            self.stderr.write(
                f"{unreadable} value(s) could not be decrypted with the current or fallback keys: "
                "add the key they were encrypted with to AGORA_SECRET_KEY_FALLBACKS and run again."
            )
