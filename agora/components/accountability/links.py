"""Links between results and where they come from: ideas (proposals) and
budget projects (Result.proposals, Result.projects)."""

from agora.components.accountability import budgets_api
from agora.components.accountability.models import Result


def project_ids_of_results(result_ids) -> list[int]:
    through = Result.projects.through
    return list(through.objects.filter(result_id__in=result_ids).values_list("project_id", flat=True).distinct())


def source_filter(obj) -> dict | None:
    """The filter of the results that come from `obj` (an idea or a budget
    project), or None when `obj` is neither."""
    label = obj._meta.label_lower
    if label == "proposals.proposal":
        return {"proposals": obj}
    if label == "budgets.project":
        return {"projects": obj}
    return None


DROPPED = "dropped"  # the published count of its budget selects none of its projects
UNPUBLISHED = "unpublished"  # its budget has no published result (withdrawn, or not yet)


def mark_sources(items) -> None:
    """Set `item.source_state` on each result coming from budget projects:
    None when one of its projects is a winner of the published count (or it
    comes from no project), DROPPED or UNPUBLISHED otherwise; and
    `item.source_date` (the count's publication date, for DROPPED). Read from
    the budgets component's published result, the one place winners are
    stored, so the follow-up can never disagree with the results page. Two
    or three queries whatever the number of results."""
    items = list(items)
    for item in items:
        item.source_state, item.source_date = None, None
    if not items:
        return
    through = Result.projects.through
    pairs = list(
        through.objects.filter(result_id__in=[item.pk for item in items]).values_list("result_id", "project_id")
    )
    if not pairs:
        return
    outcomes = budgets_api.project_outcomes({project_id for _result, project_id in pairs})
    by_result: dict[int, list] = {}
    for result_id, project_id in pairs:
        if project_id in outcomes:
            by_result.setdefault(result_id, []).append(outcomes[project_id])
    for item in items:
        found = by_result.get(item.pk)
        if not found or any(outcome.state == "selected" for outcome in found):
            continue
        dropped = [outcome for outcome in found if outcome.state == "not_selected"]
        if dropped:
            item.source_state = DROPPED
            item.source_date = max(outcome.published_at for outcome in dropped)
        else:
            item.source_state = UNPUBLISHED
