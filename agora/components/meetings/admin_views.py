"""The back-office of a meetings component: the meetings (an ordered list
without moves), a meeting's page (publish, cancel, close), its agenda (an
ordered list with moves), its registrations (list, CSV, attendance sheet in
PDF), invitations and the phone-friendly attendance page."""

import io

from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agora.components.meetings import selectors, services
from agora.components.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    CloseForm,
    IdeaForm,
    InviteForm,
    MeetingForm,
    PhotoForm,
)
from agora.components.meetings.models import AgendaItem, Meeting, MeetingPhoto, Registration
from agora.core.csvfiles import SafeWriter
from agora.core.formats import long_datetime
from agora.core.translations import translated
from agora.questionnaires import builder
from agora.questionnaires import exports as questionnaire_exports
from agora.questionnaires import selectors as questionnaire_selectors
from agora.web.access import backoffice_view
from agora.web.ordered_list import Column, Labels, OrderedList
from agora.web.views import call_service

MANAGE = "meetings.manage"


class MeetingList(OrderedList):
    namespace, id_kwarg = "meetings_admin", "meeting_id"
    names = {"list": "index", "create": "create", "edit": "edit", "delete": "delete"}
    action = MANAGE
    form_class = MeetingForm
    columns = (
        Column(gettext_lazy("Meeting"), lambda meeting: translated(meeting.title)),
        Column(gettext_lazy("When"), lambda meeting: long_datetime(meeting.wall_start)),
        Column(gettext_lazy("State"), template="meetings/admin/_state.html"),
        Column(gettext_lazy("Registrations"), template="meetings/admin/_counts.html"),
    )
    labels = Labels(
        title=gettext_lazy("Meetings"),
        new=gettext_lazy("New meeting"),
        edit=gettext_lazy("Edit the meeting “%(title)s”"),
        delete=gettext_lazy("Delete the meeting “%(title)s”?"),
        caption=gettext_lazy("Meetings, the latest first"),
        empty=gettext_lazy("This component has no meeting yet."),
        created=gettext_lazy("The meeting is saved as a draft: publish it from its page."),
        saved=gettext_lazy("The meeting has been saved."),
        deleted=gettext_lazy("The meeting has been deleted."),
    )
    templates = {"list": "meetings/admin/list.html"}

    def queryset(self, request):
        return selectors.admin_meetings(request.component)

    def _save(self, request, form):
        meeting = form.instance
        meeting.component = request.component
        return services.save_meeting(
            actor=request.user,
            meeting=meeting,
            image=form.image_change(),
            proposals=form.cleaned_data.get("proposals"),
            linked_components=form.cleaned_data.get("linked_components"),
        )

    def create(self, request, form):
        return self._save(request, form)

    def update(self, request, item, form):
        return self._save(request, form)

    def delete(self, request, item):
        services.delete_meeting(actor=request.user, meeting=item)

    def success_url(self, request, item) -> str:
        return self.url(request, "list")

    def title_of(self, item):
        return translated(item.title)


MEETINGS = MeetingList()


class AgendaList(OrderedList):
    namespace, prefix, id_kwarg = "meetings_admin", "<int:meeting_id>/agenda/", "item_id"
    names = {
        "list": "agenda",
        "create": "agenda_create",
        "edit": "agenda_edit",
        "delete": "agenda_delete",
        "move": "agenda_move",
    }
    action = MANAGE
    form_class = AgendaItemForm
    columns = (
        Column(gettext_lazy("Item"), template="meetings/admin/_agenda_title.html"),
        Column(
            gettext_lazy("Duration"),
            lambda item: _("%(minutes)s min") % {"minutes": item.duration} if item.duration else "",
        ),
    )
    labels = Labels(
        title=gettext_lazy("Agenda"),
        new=gettext_lazy("New item"),
        edit=gettext_lazy("Edit the item “%(title)s”"),
        delete=gettext_lazy("Delete the item “%(title)s”?"),
        caption=gettext_lazy("Items of the agenda, in order"),
        empty=gettext_lazy("The agenda has no item yet."),
        created=gettext_lazy("The item has been added."),
        saved=gettext_lazy("The item has been saved."),
        deleted=gettext_lazy("The item has been deleted."),
        moved=gettext_lazy("The item has been moved."),
    )
    templates = {"list": "meetings/admin/agenda.html"}

    def meeting(self, request) -> Meeting:
        return _load(request, request.resolver_match.kwargs["meeting_id"])

    def queryset(self, request):
        meeting = self.meeting(request)
        items = AgendaItem.objects.filter(meeting=meeting).select_related("parent")
        # Main items in order, each followed by its sub-items.
        ordered = []
        for item in selectors.agenda_of(meeting):
            ordered.append(item.pk)
            ordered.extend(child.pk for child in getattr(item, "subitems"))
        position = {pk: index for index, pk in enumerate(ordered)}
        return items.order_by(
            Case(*[When(pk=pk, then=Value(index)) for pk, index in position.items()], output_field=IntegerField()),
            "id",
        )

    def new_instance(self, request):
        return AgendaItem(meeting=self.meeting(request))

    def context(self, request, **extra):
        return {"meeting": self.meeting(request), **extra}

    def create(self, request, form):
        return services.save_agenda_item(actor=request.user, item=form.instance)

    def update(self, request, item, form):
        return services.save_agenda_item(actor=request.user, item=form.instance)

    def delete(self, request, item):
        services.delete_agenda_item(actor=request.user, item=item)

    def move(self, request, item, direction):
        services.move_agenda_item(actor=request.user, item=item, direction=direction)

    def title_of(self, item):
        return translated(item.title)


AGENDA = AgendaList()


def _load(request, meeting_id) -> Meeting:
    meeting = selectors.admin_meetings(request.component).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    meeting.component = request.component
    return meeting


def _url(request, meeting, name="meeting"):
    return reverse(
        f"meetings_admin:{name}",
        kwargs={"space_id": request.space.pk, "component_id": request.component.pk, "meeting_id": meeting.pk},
    )


def _page(request, template, meeting, status=200, **extra):
    return render(
        request,
        template,
        {
            "space": request.space,
            "component": request.component,
            "bo_section": "spaces",
            "meeting": meeting,
            "list_url": reverse(
                "meetings_admin:index", kwargs={"space_id": request.space.pk, "component_id": request.component.pk}
            ),
            **extra,
        },
        status=status,
    )


@backoffice_view(MANAGE, target="component")
def meeting(request, meeting_id):
    found = _load(request, meeting_id)
    return _page(
        request,
        "meetings/admin/meeting.html",
        found,
        agenda=selectors.agenda_of(found),
        attended=Registration.objects.filter(meeting=found, attended_at__isnull=False).count(),
        invitations=found.invitations.count(),
    )


@backoffice_view(MANAGE, target="component")
def publish(request, meeting_id):
    found = _load(request, meeting_id)
    if request.method == "POST":
        done, refused = call_service(request, services.publish_meeting, meeting=found)
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The meeting is published; the space's followers are told."))
        return redirect(_url(request, found))
    return render(
        request,
        "backoffice/confirm.html",
        {
            "space": request.space,
            "component": request.component,
            "bo_section": "spaces",
            "title": _("Publish this meeting?"),
            "submit": _("Publish the meeting"),
            "question": _("It appears on the space's page and in the agenda; the space's followers are told."),
            "cancel_url": _url(request, found),
        },
    )


@backoffice_view(MANAGE, target="component")
def cancel(request, meeting_id):
    found = _load(request, meeting_id)
    if found.is_cancelled:
        messages.info(request, _("This meeting is already cancelled."))
        return redirect(_url(request, found))
    form = CancelForm(request.POST or None, organization=request.organization, instance=found)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(
            request, services.cancel_meeting, form=form, meeting=found, reason=form.translated_value("cancel_reason")
        )
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The meeting is cancelled; registered people and followers are told."))
            return redirect(_url(request, found))
    return _page(request, "meetings/admin/cancel.html", found, form=form, status=400 if form.is_bound else 200)


@backoffice_view(MANAGE, target="component")
def close(request, meeting_id):
    found = _load(request, meeting_id)
    form = CloseForm(request.POST or None, organization=request.organization, instance=found)
    if request.method == "POST" and form.is_valid():
        done, refused = call_service(request, services.close_meeting, form=form, meeting=found, **form.values())
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The minutes are published."))
            return redirect(_url(request, found))
    return _page(request, "meetings/admin/close.html", found, form=form, status=400 if form.is_bound else 200)


@backoffice_view(MANAGE, target="component")
def registrations(request, meeting_id):
    found = _load(request, meeting_id)
    return _page(
        request, "meetings/admin/registrations.html", found, registrations=list(selectors.registrations_of(found))
    )


@backoffice_view(MANAGE, target="component")
def cancel_registration(request, meeting_id, registration_id):
    found = _load(request, meeting_id)
    registration = get_object_or_404(Registration, pk=registration_id, meeting=found)
    if request.method == "POST":
        done, refused = call_service(request, services.cancel_registration, registration=registration)
        if refused is not None:
            return refused
        if done:
            messages.success(request, _("The registration is cancelled."))
        return redirect(_url(request, found, "registrations"))
    return render(
        request,
        "backoffice/confirm.html",
        {
            "space": request.space,
            "component": request.component,
            "bo_section": "spaces",
            "title": _("Cancel the registration %(code)s?") % {"code": registration.code},
            "submit": _("Cancel the registration"),
            "question": _("The place goes to the first person of the waiting list, who is told by e-mail."),
            "cancel_url": _url(request, found, "registrations"),
        },
    )


def _person(registration) -> tuple[str, str]:
    user = registration.user
    if user is None or user.is_deleted:
        return _("Deleted participant"), ""
    return user.name or user.public_name, user.email


@backoffice_view(MANAGE, target="component")
def registrations_csv(request, meeting_id):
    """The registrations with names and e-mails, and the answers to the registration
    form (one column per question, flattened as the surveys' exports): personal data,
    for the staff only. Every cell goes through the formula guard (SafeWriter)."""
    found = _load(request, meeting_id)
    questions = questionnaire_selectors.questions_of(found.questionnaire) if found.questionnaire_id else []
    answer_columns = questionnaire_exports.columns(questions)
    registrations = list(selectors.registrations_of(found))
    answers = questionnaire_exports.answers_of(registration.answer_set_id for registration in registrations)
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(
        [
            "code",
            "status",
            "name",
            "email",
            "registered_at",
            "promoted_at",
            "attended_at",
            *(title for title, _cell in answer_columns),
        ]
    )
    for registration in registrations:
        name, email = _person(registration)
        given = answers.get(registration.answer_set_id, {})
        writer.writerow(
            [
                registration.code,
                registration.status,
                name,
                email,
                registration.created_at.isoformat(),
                registration.promoted_at.isoformat() if registration.promoted_at else "",
                registration.attended_at.isoformat() if registration.attended_at else "",
                *(cell(given) if registration.answer_set_id else "" for _title, cell in answer_columns),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{found.pk}-registrations.csv"'
    return response


@backoffice_view(MANAGE, target="component")
def attendance_sheet(request, meeting_id):
    """The printable attendance sheet (PDF): the people with a place, a column to sign."""
    from weasyprint import HTML  # local: WeasyPrint is slow to import and only this screen prints

    found = _load(request, meeting_id)
    rows = [
        (registration, *_person(registration))
        for registration in selectors.registrations_of(found).filter(status=Registration.Status.CONFIRMED)
    ]
    rows.sort(key=lambda row: row[1].lower())
    html = render_to_string(
        "meetings/pdf/attendance_sheet.html",
        {
            "meeting": found,
            "rows": rows,
            "organization": request.organization,
            "starts": long_datetime(found.wall_start),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-{found.pk}-attendance.pdf"'
    return response


@backoffice_view(MANAGE, target="component")
def invite(request, meeting_id):
    found = _load(request, meeting_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made, refused = call_service(request, services.invite, form=form, meeting=found, emails=form.addresses())
        if refused is not None:
            return refused
        if made:
            count = len(made) if isinstance(made, list) else 0
            messages.success(request, _("Invitations sent: %(count)s.") % {"count": count})
            return redirect(_url(request, found))
    return _page(
        request,
        "meetings/admin/invite.html",
        found,
        form=form,
        invitations=list(found.invitations.all()),
        status=400 if form.is_bound else 200,
    )


@backoffice_view(MANAGE, target="component")
def attendance(request, meeting_id):
    """At the door, on a phone: type (or scan) a code, see who it is."""
    found = _load(request, meeting_id)
    form = AttendanceForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    validated = None
    if request.method == "POST" and form.is_valid():
        validated, refused = call_service(
            request, services.validate_attendance, form=form, meeting=found, code=form.cleaned_data["code"]
        )
        if refused is not None:
            return refused
        if validated:
            name, _email = _person(validated)
            messages.success(
                request, _("%(name)s is marked present (%(code)s).") % {"name": name, "code": validated.code}
            )
            return redirect(_url(request, found, "attendance"))
    present = Registration.objects.filter(meeting=found, attended_at__isnull=False).count()
    return _page(
        request,
        "meetings/admin/attendance.html",
        found,
        form=form,
        present=present,
        status=400 if form.is_bound and form.errors else 200,
    )


# --- the registration form (agora.questionnaires.builder, mounted in admin_urls) ----------------


def registration_form(request, meeting_id) -> builder.Owned:
    found = _load(request, meeting_id)
    services.registration_form(actor=request.user, meeting=found)
    return builder.Owned(found.questionnaire, title=translated(found.title), context={"meeting": found})


@backoffice_view(MANAGE, target="component")
def ideas(request, meeting_id):
    """The ideas given at the meeting, typed in once it has started."""
    found = _load(request, meeting_id)
    form = IdeaForm(request.POST or None, space=request.space)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        idea, refused = call_service(
            request,
            services.file_idea,
            form=form,
            meeting=found,
            component=data["component"],
            author_name=data["author_name"],
            title=data["title"],
            body=data["body"],
        )
        if refused is not None:
            return refused
        if idea:
            messages.success(request, _("The idea is filed and listed on the meeting's page."))
            return redirect(_url(request, found, "ideas"))
    return _page(
        request,
        "meetings/admin/ideas.html",
        found,
        form=form,
        ideas=list(found.ideas_filed.all()),
        status=400 if form.is_bound else 200,
    )


@backoffice_view(MANAGE, target="component")
def photos(request, meeting_id):
    """The photos shown with the minutes: add one (with its description), see them, remove one."""
    found = _load(request, meeting_id)
    form = PhotoForm(request.POST or None, request.FILES or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        photo, refused = call_service(
            request,
            services.add_photo,
            form=form,
            meeting=found,
            image=form.cleaned_data["image"],
            alt=form.translated_value("alt"),
        )
        if refused is not None:
            return refused
        if photo:
            messages.success(request, _("The photo is added to the meeting's page."))
            return redirect(_url(request, found, "photos"))
    return _page(
        request,
        "meetings/admin/photos.html",
        found,
        form=form,
        photos=list(found.photos.all()),
        status=400 if form.is_bound else 200,
    )


@backoffice_view(MANAGE, target="component", post_only=True)
def photo_delete(request, meeting_id, photo_id):
    found = _load(request, meeting_id)
    photo = get_object_or_404(MeetingPhoto, pk=photo_id, meeting=found)
    photo.meeting = found
    done, refused = call_service(request, services.delete_photo, photo=photo)
    if refused is not None:
        return refused
    if done:
        messages.success(request, _("The photo is removed."))
    return redirect(_url(request, found, "photos"))
