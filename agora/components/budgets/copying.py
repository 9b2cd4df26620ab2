"""Copying a space for its next edition (agora.spaces.copying): the budgets
with their envelope, ballot rule and counting settings. Not the projects
(each edition has its own), nor anything of the vote: ballots, the draw for
ties, the results."""

from agora.components.budgets.models import Budget

SETTINGS = (
    "title",
    "description",
    "scope",
    "envelope",
    "weight",
    "rule",
    "min_projects",
    "max_projects",
    "min_percent",
    "max_per_category",
    "points_total",
    "points_min",
    "points_max",
    "rank_k",
    "savings_target",
    "method",
    "completion",
    "min_votes",
    "min_votes_percent",
)


def copy_configuration(source, copy) -> None:
    Budget.objects.bulk_create(
        [
            Budget(component=copy, **{name: getattr(budget, name) for name in SETTINGS})
            for budget in Budget.objects.filter(component=source, imported_from="")
        ]
    )
