"""Sentences of the meetings' verbs in the action log (agora.actionlog.wording)."""

from django.utils.translation import gettext_lazy as _

from agora.actionlog.wording import register

register(
    {
        "meetings.meeting_created": _("%(actor)s created the meeting “%(target)s”"),
        "meetings.meeting_organized": _("%(actor)s organized the meeting “%(target)s”"),
        "meetings.meeting_updated": _("%(actor)s edited the meeting “%(target)s”"),
        "meetings.meeting_changed": _("%(actor)s changed the date, place or link of the meeting “%(target)s”"),
        "meetings.meeting_published": _("%(actor)s published the meeting “%(target)s”"),
        "meetings.meeting_cancelled": _("%(actor)s cancelled the meeting “%(target)s”"),
        "meetings.meeting_deleted": _("%(actor)s deleted the meeting “%(target)s”"),
        "meetings.meeting_closed": _("%(actor)s published the minutes of the meeting “%(target)s”"),
        "meetings.minutes_updated": _("%(actor)s updated the minutes of the meeting “%(target)s”"),
        "meetings.agenda_changed": _("%(actor)s changed the agenda of the meeting “%(target)s”"),
        "meetings.registered": _("%(actor)s registered for the meeting “%(target)s”"),
        "meetings.waitlisted": _("%(actor)s joined the waiting list of the meeting “%(target)s”"),
        "meetings.promoted": _("A place of the meeting “%(target)s” went to the waiting list"),
        "meetings.registration_cancelled": _("%(actor)s cancelled a registration to the meeting “%(target)s”"),
        "meetings.attendance_validated": _("%(actor)s validated an attendance at the meeting “%(target)s”"),
        "meetings.idea_filed": _("%(actor)s filed an idea given at the meeting “%(target)s”"),
        "meetings.photo_added": _("%(actor)s added a photo to the meeting “%(target)s”"),
        "meetings.photo_deleted": _("%(actor)s removed a photo of the meeting “%(target)s”"),
        "meetings.invited": _("%(actor)s sent invitations to the meeting “%(target)s”"),
    }
)
