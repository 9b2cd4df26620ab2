"""Public pages of a meetings component: the list (filters, pagination, a
map), a meeting (agenda, registration, online link, minutes, comments),
registering and cancelling, one's registration (code and QR code) and the
calendar feeds of a meeting and of the component."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agora import permissions
from agora.components import feeds
from agora.components.access import component_context, component_view
from agora.components.meetings import calendars, selectors, services, sharing
from agora.components.meetings.forms import FilterForm, ParticipantMeetingForm, RegisterForm
from agora.components.meetings.models import Meeting, Registration
from agora.components.meetings.rules import registration_closed_reason
from agora.components.proposals import api as proposals_api
from agora.core import machine_translation
from agora.core.translations import translated
from agora.questionnaires import selectors as questionnaire_selectors
from agora.questionnaires.flow import Flow
from agora.questionnaires.services import AnswersRefused
from agora.web.access import refuse_public
from agora.web.views import add_error, querystring_without_page


@component_view
def index(request):
    component = request.component
    filters = FilterForm(request.GET or None, organization=request.organization)
    chosen = filters.values()
    meetings = selectors.meetings_for(component, request.user, **chosen)
    page = Paginator(meetings, component.settings_of().meetings_per_page).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for meeting in items:
        meeting.component = component
    return render(
        request,
        "meetings/index.html",
        component_context(
            request,
            page_obj=page,
            meetings=items,
            filters=filters,
            filtered=filters.filtered,
            query=querystring_without_page(request),
            map_points=selectors.map_points(items),
            tiles_url=settings.MAP_TILES_URL,
            tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
            create_decision=permissions.can(request.user, "meetings.create", component)
            if component.settings_of().participant_meetings
            else None,
            **feeds.links(component, "meetings"),
        ),
    )


def _meeting(request, meeting_id):
    meeting = selectors.meeting_for(request.component, request.user, meeting_id)
    if meeting is None:
        raise Http404
    return meeting, _view_refusal(request, meeting)


def _view_refusal(request, meeting):
    """The page that refuses the meeting to this person (404 for a draft), or None."""
    decision = permissions.can(request.user, "meetings.view", meeting)
    if not decision:
        if not meeting.is_published:
            raise Http404
        return refuse_public(request, decision)
    return None


def _detail_context(request, meeting, form=None, **extra):
    registration = selectors.registration_of(meeting, request.user)
    questions = _questions(meeting) if registration is None else []
    return component_context(
        request,
        meeting=meeting,
        agenda=selectors.agenda_of(meeting),
        registration=registration,
        waiting_position=selectors.waiting_position(registration)
        if registration is not None and registration.status == Registration.Status.WAITING
        else None,
        register_decision=permissions.can(request.user, "meetings.register", meeting)
        if registration is None and meeting.registration_type == meeting.Registration.AGORA
        else None,
        closed_reason=registration_closed_reason(meeting),
        online_link=selectors.online_link_for(meeting, request.user, registration),
        manages=bool(permissions.can(request.user, "meetings.manage", request.component)),
        edit_decision=permissions.can(request.user, "meetings.edit", meeting) if meeting.organizer_id else None,
        ideas=list(meeting.proposals.all()[:50]),
        photos=list(meeting.photos.all()),
        ideas_filed=list(proposals_api.public_ideas().filter(filed_at_meetings=meeting)[:100]),
        register_form=form or RegisterForm(),
        questions=questions,
        tiles_url=settings.MAP_TILES_URL,
        tiles_attribution=settings.MAP_TILES_ATTRIBUTION,
        **extra,
    )


@component_view
def detail(request, meeting_id):
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    translated = machine_translation.show(request, [meeting], ("title", "description"))
    context = _detail_context(request, meeting, **translated, **sharing.share(request, meeting))
    return render(request, "meetings/detail.html", context)


def _questions(meeting):
    if meeting.questionnaire_id is None:
        return []
    return questionnaire_selectors.questions_of(meeting.questionnaire)


def _register(request, meeting, form, values):
    """The service, and the page's answer: the meeting (registered or waiting), or None
    with the errors put on the form (the caller renders it again)."""
    try:
        registration = services.register(
            actor=request.user,
            meeting=meeting,
            accepted_terms=bool(form.cleaned_data.get("accepted_terms")),
            values=values,
        )
    except AnswersRefused:
        raise
    except ValidationError as error:
        if getattr(error, "code", "") == "already":
            messages.info(request, error.messages[0])
            return redirect(meeting)
        add_error(form, error)
        return None
    except permissions.PermissionDenied as refusal:
        meeting, refused = _meeting(request, meeting.pk)
        if refused is not None:
            return refused  # a draft is not found, a meeting one may not see says why
        return refuse_public(request, refusal.decision, next_url=meeting.get_absolute_url())
    meeting = registration.meeting
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request,
            _("You are registered. Your code is %(code)s; it is in the e-mail we sent you.")
            % {"code": registration.code},
        )
    else:
        messages.info(
            request,
            _("The meeting is full: you are on the waiting list. You will get an e-mail if a place frees up."),
        )
    return redirect(meeting)


@component_view
def register(request, meeting_id):
    """Register: a button on the meeting's page, or, when the meeting has a
    registration form, its pages (agora.questionnaires.flow, whose every page
    posts its number) then the terms."""
    if request.method == "POST" and "page" not in request.POST:
        return _register_button(request, meeting_id)
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    decision = permissions.can(request.user, "meetings.register", meeting)
    if not decision:
        return refuse_public(request, decision, next_url=meeting.get_absolute_url())
    questions = _questions(meeting)
    if not questions:
        return redirect(meeting)
    flow = Flow(
        request, meeting.questionnaire, key=f"meeting:{meeting.pk}", questions=questions, submit_label=_("Register")
    )
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        outcome = flow.post()
        if outcome.values is not None:
            form.is_valid()
            try:
                answer = _register(request, meeting, form, outcome.values)
            except AnswersRefused as refusal:
                outcome, status = flow.refused(refusal.by_question), 400
            else:
                if answer is not None:
                    flow.forget()
                    return answer
                outcome, status = _final(flow), 400
        elif outcome.page is not None and outcome.page.errors:
            status = 400
    else:
        outcome = flow.show(request.GET.get("page", 0))
    final = outcome.is_final
    return render(
        request,
        "meetings/register.html",
        component_context(
            request,
            meeting=meeting,
            flow=outcome.page,
            review=outcome.review,
            form=form,
            show_terms=final and bool(translated(meeting.registration_terms).strip()),
            submit_label=flow.submit_label,
        ),
        status=status,
    )


def _register_button(request, meeting_id):
    """The button of the meeting's page. The service reads the meeting and asks the
    right (once per registration: who sees the meeting, may take part and meets the
    rules of "register"), then takes the place: the page reads the meeting only to
    show a refusal or the button again with its message (docs/meetings.md, "Under load")."""
    form = RegisterForm(request.POST)
    form.is_valid()
    try:
        answer = _register(request, Meeting(pk=meeting_id, component=request.component), form, None)
    except Meeting.DoesNotExist:
        raise Http404 from None
    except services.RegistrationFormNeeded:
        # A form added since the page was shown: its first page.
        return redirect(
            reverse("meetings:register", kwargs={**request.component.url_kwargs(), "meeting_id": meeting_id})
        )
    if answer is not None:
        return answer
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    return render(request, "meetings/detail.html", _detail_context(request, meeting, form=form), status=400)


def _final(flow):
    """The page from which the answers are sent: the review, or the last page."""
    return flow.show("review" if flow.review_enabled else len(flow.pages) - 1)


@component_view
@require_POST
def cancel_registration(request, meeting_id):
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    registration = selectors.registration_of(meeting, request.user)
    if registration is None:
        messages.info(request, _("You have no registration for this meeting."))
        return redirect(meeting)
    try:
        services.cancel_registration(actor=request.user, registration=registration)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except permissions.PermissionDenied as refusal:
        return refuse_public(request, refusal.decision)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(meeting)


@component_view
def registration(request, meeting_id):
    """One's registration: the code, the QR code to show at the door."""
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    if not request.user.is_authenticated:
        return refuse_public(request, permissions.can(request.user, "participate", request.organization))
    found = selectors.registration_of(meeting, request.user)
    if found is None:
        raise Http404
    return render(
        request,
        "meetings/registration.html",
        component_context(
            request,
            meeting=meeting,
            registration=found,
            qr_url=services.qr_url(found),
            waiting_position=selectors.waiting_position(found) if found.status == Registration.Status.WAITING else None,
        ),
    )


@component_view
def meeting_ics(request, meeting_id):
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    return calendars.calendar_response(
        [meeting],
        name=translated(meeting.title),
        organization=request.organization,
        filename=f"meeting-{meeting.pk}.ics",
    )


@component_view
def component_ics(request):
    meetings = selectors.meetings_for(request.component, request.user).select_related("category")
    for meeting in meetings:
        meeting.component = request.component
    return calendars.calendar_response(
        meetings,
        name=f"{request.component} — {translated(request.space.title)}",
        organization=request.organization,
        filename=f"meetings-{request.component.pk}.ics",
    )


def _page_language(organization) -> str:
    language = (get_language() or "").split("-")[0]
    return language if language in organization.languages else organization.default_language


@component_view
def create(request):
    """A participant organizes a meeting (when the component lets them)."""
    component = request.component
    decision = permissions.can(request.user, "meetings.create", component)
    if not decision:
        return refuse_public(request, decision)
    form = ParticipantMeetingForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        meeting = form.fill(Meeting(component=component), _page_language(request.organization))
        try:
            meeting = services.organize_meeting(actor=request.user, component=component, meeting=meeting)
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("Your meeting is announced. You follow it."))
            return redirect(meeting)
    return render(
        request,
        "meetings/organize.html",
        component_context(request, form=form, meeting=None),
        status=400 if form.is_bound else 200,
    )


@component_view
def edit(request, meeting_id):
    """The participant who organizes a meeting changes it until it starts."""
    meeting, refused = _meeting(request, meeting_id)
    if refused is not None:
        return refused
    decision = permissions.can(request.user, "meetings.edit", meeting)
    if not decision:
        return refuse_public(request, decision)
    form = ParticipantMeetingForm(
        request.POST or None, initial=ParticipantMeetingForm.initial_of(meeting), organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        form.fill(meeting, _page_language(request.organization))
        try:
            services.edit_own_meeting(actor=request.user, meeting=meeting)
        except ValidationError as error:
            add_error(form, error)
        except permissions.PermissionDenied as refusal:
            return refuse_public(request, refusal.decision)
        else:
            messages.success(request, _("Your meeting has been changed."))
            return redirect(meeting)
    return render(
        request,
        "meetings/organize.html",
        component_context(request, form=form, meeting=meeting),
        status=400 if form.is_bound else 200,
    )
