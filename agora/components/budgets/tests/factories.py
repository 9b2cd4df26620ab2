import factory

from agora.components.budgets.models import Budget, Project
from agora.core.translations import tr
from agora.testing.factories import ComponentFactory


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    component = factory.SubFactory(ComponentFactory, manifest_name="budgets")
    title = factory.Sequence(lambda n: tr(f"Budget {n}"))
    envelope = 100_000
    rule = Budget.Rule.APPROVAL
    min_projects = 1
    max_projects = 3


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    budget = factory.SubFactory(BudgetFactory)
    component = factory.SelfAttribute("budget.component")
    title = factory.Sequence(lambda n: tr(f"Projet {n}", f"Project {n}"))
    cost = 20_000


def publish_winners(budget, winners) -> Budget:
    """Mark `winners` (projects) as the published result of `budget`, as if
    counted and published (tests of readers: the follow-up, exports, pages)."""
    from django.utils import timezone

    budget.result = {"selected": [str(project.pk) for project in winners]}
    budget.results_published_at = timezone.now()
    budget.save(update_fields=["result", "results_published_at"])
    return budget
