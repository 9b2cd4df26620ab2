from django.core.management.base import BaseCommand

from agora.demo.city import DEMO_ACCOUNTS, load_demo


class Command(BaseCommand):
    help = "Load the demo city (idempotent: does nothing if it is already there) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Host name the demo organization answers on.")

    def handle(self, *args, host, **options):
        organization, created = load_demo(host=host)
        verb = "Loaded" if created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {organization.name} at http://{host}:8000/"))
        self.stdout.write("Demo accounts (e-mail / password):")
        for role, email, password in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<28} {email:<34} {password}")
