from django.core.management.base import BaseCommand, CommandError

from agora.components.budgets.models import Budget
from agora.components.budgets.selectors import integrity_problems


class Command(BaseCommand):
    help = (
        "Check every budget: each vote counter equals its ballot rows, one ballot per person, no stored ballot "
        "breaks its rule. Run it after restoring a backup (docs/deployment.md). Fails when a problem is found."
    )

    def handle(self, *args, **options):
        problems, budgets = [], 0
        for budget in Budget.objects.order_by("pk"):
            budgets += 1
            problems.extend(f"budget {budget.pk}: {problem}" for problem in integrity_problems(budget))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} integrity problem(s) in {budgets} budget(s).")
        self.stdout.write(f"integrity ok: {budgets} budget(s) checked.")
