"""Who hears that a result changed status, and how.

The people concerned are those who followed one of the ideas the result
comes from (agora.follows) and those who voted for one of its budget
projects (asked to the budgets component, agora.components.budgets.api).
They get a notification through agora.notifications (a notice of the
change's trace, to explicit recipients: their ids never leave the server, and
no page lists them).
Nobody is told of their own change."""

from django.contrib.contenttypes.models import ContentType

from agora.actionlog.services import Notice
from agora.components.accountability import budgets_api, links
from agora.components.accountability.models import Result
from agora.follows.models import Follow

EVENT = "accountability.status_changed"  # declared in the manifest (component.py)


def follower_ids_of_ideas(result_ids) -> set[int]:
    idea_model = Result._meta.get_field("proposals").related_model
    idea_ids = Result.proposals.through.objects.filter(result_id__in=result_ids).values_list("proposal_id", flat=True)
    return set(
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(idea_model),
            object_id__in=idea_ids,
            user__is_active=True,
            user__deleted_at__isnull=True,
        ).values_list("user_id", flat=True)
    )


def voter_ids_of_projects(result_ids) -> set[int]:
    """Ids of the people who voted for a project the results come from.
    Asked to the budgets component (never shown anywhere)."""
    project_ids = links.project_ids_of_results(result_ids)
    if not project_ids:
        return set()
    return budgets_api.voter_ids_of_projects(project_ids)


def recipients_for(result_ids, *, exclude=()) -> set[int]:
    people = follower_ids_of_ideas(result_ids) | voter_ids_of_projects(result_ids)
    return people - {pk for pk in exclude if pk}


def status_notices(actor, result, old_status, new_status) -> list[Notice]:
    """The notice of a change of status, for the trace of the change (sent in
    its transaction: a rolled-back change tells nobody). None when the status
    did not change or nobody is concerned."""
    if old_status == new_status or new_status is None:
        return []
    recipients = recipients_for([result.pk], exclude=[getattr(actor, "pk", None)])
    if not recipients:
        return []
    return [
        Notice(
            EVENT,
            to=sorted(recipients),
            url=result.get_absolute_url(),
            data={
                "status": str(new_status),
                "status_fr": new_status.name.get("fr", ""),
                "status_en": new_status.name.get("en", ""),
            },
        )
    ]
