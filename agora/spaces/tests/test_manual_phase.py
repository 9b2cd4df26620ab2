"""A phase activated by hand is kept (issue 14 walk-through, item 2): the
nightly switch by dates (sync_phases) used to undo it without a word. Now the
officer confirms on a page that says so, and either the dates are changed
(shown before) or the phase is kept by hand until they let the dates decide."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.permissions import PermissionDenied
from agora.spaces import services
from agora.spaces.models import Phase, Role
from agora.testing import factories

TODAY = date(2026, 2, 10)


@pytest.fixture
def phases(process):
    """Ideas in January, vote in February (active today), follow-up from March on."""
    return [
        factories.PhaseFactory(space=process, position=0, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31)),
        factories.PhaseFactory(
            space=process, position=1, start_date=date(2026, 2, 1), end_date=date(2026, 2, 28), is_active=True
        ),
        factories.PhaseFactory(space=process, position=2, start_date=date(2026, 3, 1), end_date=None),
    ]


def state(process):
    return [(p.is_active, p.pinned, p.start_date, p.end_date) for p in process.phases.order_by("position")]


def test_sync_phases_keeps_a_phase_kept_by_hand(org_admin, phases, process):
    services.activate_phase(actor=org_admin, phase=phases[2], keep=services.KEEP_PIN, today=TODAY)
    assert Phase.objects.get(pk=phases[2].pk).pinned
    before = state(process)
    assert services.sync_active_phases(today=TODAY) == []
    call_command("sync_phases", "--date", "2026-02-11", stdout=open("/dev/null", "w"))
    assert state(process) == before  # nothing undone, no date touched
    log = ActionLog.objects.get(verb="phase.activate")
    assert log.data["kept"] == "pin" and log.visibility == "public"
    # Letting the dates decide again: the next run switches back to the phase of the day.
    services.release_phase(actor=org_admin, phase=phases[2])
    assert [p.pk for p in services.sync_active_phases(today=TODAY)] == [phases[1].pk]
    assert ActionLog.objects.filter(verb="phase.release").count() == 1


def test_a_manual_activation_is_kept_by_default(org_admin, phases, process):
    """A service caller that does not choose never sees its choice undone either."""
    services.activate_phase(actor=org_admin, phase=phases[0], today=TODAY)
    assert services.sync_active_phases(today=TODAY) == []
    assert [p.is_active for p in process.phases.order_by("position")] == [True, False, False]


def test_changing_the_dates_keeps_the_activation_and_the_sync_agrees(org_admin, phases, process):
    """Back to the ideas phase for one more day: it now ends today, and comes
    first, so the sync keeps it today and switches to the vote tomorrow, as
    the dates now say."""
    plan = services.activation_plan(process.phases.order_by("position"), phases[0], TODAY)
    assert not plan.dates_agree and plan.by_dates == phases[1]
    assert [(item.pk, start, end) for item, start, end in plan.changes] == [(phases[0].pk, date(2026, 1, 1), TODAY)]
    services.activate_phase(actor=org_admin, phase=phases[0], keep=services.KEEP_DATES, today=TODAY)
    assert state(process) == [
        (True, False, date(2026, 1, 1), TODAY),
        (False, False, date(2026, 2, 1), date(2026, 2, 28)),
        (False, False, date(2026, 3, 1), None),
    ]
    assert services.sync_active_phases(today=TODAY) == []
    assert [p.pk for p in services.sync_active_phases(today=date(2026, 2, 11))] == [phases[1].pk]
    assert ActionLog.objects.get(verb="phase.activate").data["kept"] == "dates"


def test_closing_the_vote_early_by_changing_the_dates(org_admin, phases, process):
    """The follow-up now: it starts today and the vote, before it, ends yesterday."""
    services.activate_phase(actor=org_admin, phase=phases[2], keep=services.KEEP_DATES, today=TODAY)
    assert state(process) == [
        (False, False, date(2026, 1, 1), date(2026, 1, 31)),
        (False, False, date(2026, 2, 1), date(2026, 2, 9)),
        (True, False, TODAY, None),
    ]
    assert services.sync_active_phases(today=TODAY) == []
    assert services.sync_active_phases(today=date(2026, 2, 20)) == []


def test_dates_that_cannot_say_it_refuse_the_date_change(org_admin, process):
    one_day = factories.PhaseFactory(space=process, position=0, start_date=TODAY, end_date=TODAY, is_active=True)
    later = factories.PhaseFactory(space=process, position=1, start_date=date(2026, 3, 1))
    plan = services.activation_plan([one_day, later], later, TODAY)
    assert plan.changes is None
    with pytest.raises(ValidationError):
        services.activate_phase(actor=org_admin, phase=later, keep=services.KEEP_DATES, today=TODAY)
    assert Phase.objects.get(pk=one_day.pk).is_active


def test_the_confirmation_page_says_what_the_sync_would_do(client, org_admin, phases, process):
    client.force_login(org_admin)
    url = reverse("backoffice:phase_activate", args=[process.pk, phases[0].pk])
    listing = client.get(reverse("backoffice:phases", args=[process.pk])).content.decode()
    assert f'href="{url}"' in listing  # "Activate…" leads to the confirmation, it does not post
    page = client.get(url).content.decode()
    # The real date decides here: the last phase (open-ended) holds today's date.
    assert 'id="activate-warning"' in page and 'name="keep"' in page
    # Without a choice nothing happens; the page says why.
    response = client.post(url)
    assert response.status_code == 400 and "Choisissez" in response.content.decode()
    assert not Phase.objects.get(pk=phases[0].pk).is_active
    response = client.post(url, {"keep": "pin"})
    assert response.status_code == 302
    assert Phase.objects.get(pk=phases[0].pk).pinned
    listing = client.get(reverse("backoffice:phases", args=[process.pk])).content.decode()
    assert "à la main" in listing
    assert services.sync_active_phases() == []
    release = reverse("backoffice:phase_release", args=[process.pk, phases[0].pk])
    assert client.post(release).status_code == 302
    assert not Phase.objects.get(pk=phases[0].pk).pinned
    assert [p.pk for p in services.sync_active_phases()] == [phases[2].pk]


def test_the_date_change_through_the_page(client, org_admin, phases, process):
    client.force_login(org_admin)
    url = reverse("backoffice:phase_activate", args=[process.pk, phases[0].pk])
    assert client.post(url, {"keep": "dates"}).status_code == 302
    assert services.sync_active_phases() == []  # today is now in the dates of the phase activated
    assert Phase.objects.get(pk=phases[0].pk).is_active


def test_activating_and_releasing_are_refused_without_the_right(client, participant, phases, process):
    collaborator = factories.RoleFactory(space=process, name=Role.Name.COLLABORATOR).user
    factories.member_of(collaborator, process.organization)
    Phase.objects.filter(pk=phases[1].pk).update(pinned=True)
    for person in (participant, collaborator):
        with pytest.raises(PermissionDenied):
            services.activate_phase(actor=person, phase=phases[0], keep=services.KEEP_PIN)
        with pytest.raises(PermissionDenied):
            services.release_phase(actor=person, phase=phases[1])
        client.force_login(person)
        for name, method in (("phase_activate", "get"), ("phase_activate", "post"), ("phase_release", "post")):
            response = getattr(client, method)(
                reverse(f"backoffice:{name}", args=[process.pk, phases[0].pk]),
                {"keep": "pin"} if method == "post" else None,
            )
            assert response.status_code == 403, (person, name, method)
    assert state(process)[1][:2] == (True, True) and not ActionLog.objects.filter(verb__startswith="phase.").exists()
