"""Permission rules of the meetings component (registered in apps.ready), and
what the questionnaires app asks about a meeting's registration form."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agora.components.meetings.models import Invitation, Meeting
from agora.core.formats import long_datetime
from agora.moderation.selectors import is_hidden
from agora.permissions import ALLOWED, can, component_action, deny, rule
from agora.questionnaires import owners


def is_invited(user, meeting: Meeting) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email), meeting=meeting).exists()


@rule("meetings.view")
def _view(user, meeting):
    """Whoever sees the component sees its published meetings (a cancelled one
    too, marked cancelled), except a private one (its invitees and the
    officers) and one the moderators hid (the moderators)."""
    decision = can(user, "component.view", meeting.component)
    if not decision:
        return decision
    manages = can(user, "meetings.manage", meeting.component)
    if not meeting.is_published and not manages:
        return deny(_("This meeting is not published yet."))
    if meeting.visibility == Meeting.Visibility.PRIVATE and not manages and not is_invited(user, meeting):
        if not getattr(user, "is_authenticated", False):
            return can(user, "participate", meeting.component.space.organization)  # the way to log in
        return deny(_("This meeting is private: only the people invited see it."))
    if _hidden(meeting) and not can(user, "moderation.manage", meeting.component.space):
        return deny(_("This meeting was hidden by the moderators."))
    return ALLOWED


def _hidden(meeting: Meeting) -> bool:
    """Hidden by the moderators: the flag the meeting was read with
    (`with_hidden_flag()`, no query), else asked."""
    flag = meeting.__dict__.get("is_hidden")
    return flag if isinstance(flag, bool) else is_hidden(meeting)


def registration_closed_reason(meeting: Meeting, now=None) -> str:
    """Why nobody can register now (empty: registrations are open)."""
    now = now or timezone.now()
    if not meeting.is_published:
        return _("This meeting is not published yet.")
    if meeting.is_cancelled:
        return _("This meeting is cancelled.")
    if meeting.registration_type == Meeting.Registration.NONE:
        return _("No registration is needed for this meeting: just come.")
    if meeting.registration_type == Meeting.Registration.EXTERNAL:
        return _("Registrations for this meeting are taken on another site.")
    if now >= meeting.starts_at:
        return _("This meeting has started: registrations are closed.")
    if now >= meeting.registration_closes_at:
        return _("Registrations closed on %(date)s.") % {
            "date": long_datetime(meeting.wall(meeting.registration_closes_at))
        }
    return ""


@rule("meetings.register")
def _register(user, meeting):
    """Register (or join the waiting list): while registrations are open on
    this site, while the phase opens them, for whoever may take part and meets
    the eligibility rules of "register"; by invitation for a private or a
    transparent meeting."""
    reason = registration_closed_reason(meeting)
    if reason:
        return deny(reason)
    decision = component_action(
        user, meeting.component, "register", phase_setting="registrations_enabled", resource=meeting
    )
    if not decision:
        return decision
    viewing = can(user, "meetings.view", meeting)
    if not viewing:
        return viewing
    if meeting.visibility != Meeting.Visibility.PUBLIC and not is_invited(user, meeting):
        return deny(_("Registration to this meeting is by invitation."))
    return ALLOWED


@rule("meetings.create")
def _create(user, component):
    """A participant organizes a meeting: only when the component lets
    participants organize meetings, while the phase opens it, for whoever may
    take part and meets the eligibility rules of "create"."""
    if not component.settings_of().participant_meetings:
        return deny(_("Only the organization organizes meetings here."))
    return component_action(user, component, "create", phase_setting="creation_enabled")


@rule("meetings.edit")
def _edit(user, meeting):
    """The participant who organizes a meeting edits it until it starts (not
    once cancelled); the organization's meetings are edited in the back-office."""
    if not getattr(user, "is_authenticated", False):
        return can(user, "participate", meeting.component.space.organization)  # the way to log in
    if meeting.organizer_id is None or meeting.organizer_id != user.pk:
        return deny(_("Only the participant who organizes this meeting can edit it."))
    if meeting.is_cancelled:
        return deny(_("This meeting is cancelled."))
    if meeting.closed_at is not None or timezone.now() >= meeting.starts_at:
        return deny(_("A meeting that has started can no longer be edited."))
    decision = can(user, "meetings.view", meeting)
    if not decision:
        return decision
    return can(user, "participate", meeting.component.space.organization)


@rule("meetings.manage")
def _manage(user, component):
    """Meetings, their agenda, registrations, invitations, attendance and closing."""
    return can(user, "component.manage", component)


def register_owner():
    """A meeting's registration form is managed by whoever manages the meeting."""

    def meeting(questionnaire):
        return Meeting.objects.select_related("component__space__organization").get(questionnaire=questionnaire)

    owners.register(
        "meetings.meeting",
        owners.Owner(
            manage=lambda user, questionnaire: can(user, "meetings.manage", meeting(questionnaire).component),
            component=lambda questionnaire: meeting(questionnaire).component,
        ),
    )
