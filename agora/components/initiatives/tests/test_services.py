from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.components.initiatives import api, selectors, services
from agora.components.initiatives.models import Initiative, InitiativeTier, Signature, Tier
from agora.components.initiatives.tests.conftest import person
from agora.follows.services import add_follow
from agora.notifications.models import Notification
from agora.permissions import PermissionDenied, can
from agora.statistics.models import DailyCount
from agora.testing import factories
from agora.verifications.identity import person_key
from agora.verifications.models import Identity

pytestmark = pytest.mark.django_db


def test_the_life_cycle_from_draft_to_collecting(component, kind, participant, org_admin, organization):
    initiative = services.create_initiative(
        actor=participant,
        component=component,
        initiative_type=kind,
        title="Des bancs",
        body="Un banc tous les 200 mètres sur les grandes avenues.",
    )
    assert initiative.state == Initiative.State.DRAFT
    with pytest.raises(ValidationError, match="committee needs 1"):
        services.submit(actor=participant, initiative=initiative)
    friend = factories.UserFactory()
    factories.member_of(friend, organization)
    services.invite(actor=participant, initiative=initiative, email=friend.email)
    assert Notification.objects.filter(recipient=friend, event="initiatives.invited").exists()
    with pytest.raises(PermissionDenied):
        services.accept_invitation(actor=org_admin, initiative=initiative)
    services.accept_invitation(actor=friend, initiative=initiative)
    submitted = services.submit(actor=participant, initiative=initiative)
    assert submitted.state == Initiative.State.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.decide_admissibility(actor=participant, initiative=submitted, admissible=True)
    published = services.decide_admissibility(actor=org_admin, initiative=submitted, admissible=True)
    assert published.state == Initiative.State.COLLECTING
    rows = list(published.tiers.order_by("position"))
    assert [row.threshold for row in rows] == [3, 5]
    assert published.open_until == rows[0].window_ends_at
    verbs = set(ActionLog.objects.filter(target_id=str(initiative.pk)).values_list("verb", flat=True))
    assert {"initiatives.created", "initiatives.invited", "initiatives.joined", "initiatives.submitted"} <= verbs
    assert "initiatives.admitted" in verbs
    assert Notification.objects.filter(recipient=friend, event="initiatives.changed").exists()


def test_refusal_needs_a_public_reason(collecting, component, kind, participant, org_admin):
    initiative = Initiative.objects.create(
        component=component,
        type=kind,
        title="Hors compétence",
        body="<p>x</p>",
        author=participant,
        state=Initiative.State.SUBMITTED,
    )
    with pytest.raises(ValidationError):
        services.decide_admissibility(actor=org_admin, initiative=initiative, admissible=False, reason=" ")
    refused = services.decide_admissibility(
        actor=org_admin, initiative=initiative, admissible=False, reason="Relève de la compétence de l'État."
    )
    assert refused.state == Initiative.State.REFUSED and refused.is_public


def test_editing_is_for_the_author_of_a_draft(component, kind, participant, organization):
    initiative = services.create_initiative(
        actor=participant, component=component, initiative_type=kind, title="Titre", body="x" * 40
    )
    other = factories.UserFactory()
    factories.member_of(other, organization)
    with pytest.raises(PermissionDenied):
        services.update_initiative(actor=other, initiative=initiative, title="Autre", body="y" * 40)
    with pytest.raises(PermissionDenied):
        services.invite(actor=other, initiative=initiative, email=participant.email)


def test_filing_follows_the_type_rule(component, kind, organization):
    kind.file_rule = {"min_age": 18}
    kind.save()
    young = person(organization, born=date.today() - timedelta(days=365 * 15))
    with pytest.raises(PermissionDenied, match="18"):
        services.create_initiative(actor=young, component=component, initiative_type=kind, title="T", body="x" * 40)


def test_signing_counts_and_reaches_a_tier_once(collecting, organization, participant):
    follower = factories.UserFactory()
    factories.member_of(follower, organization)
    add_follow(user=follower, target=collecting)
    signers = [person(organization) for _ in range(4)]
    for signer in signers:
        services.sign(actor=signer, initiative=collecting)
    collecting.refresh_from_db()
    assert collecting.signature_count == 4 == Signature.objects.filter(initiative=collecting).count()
    first = collecting.tiers.get(position=1)
    assert first.reached_at is not None and first.reached_count == 3
    assert first.response_due == (first.reached_at + timedelta(days=60)).date()
    assert ActionLog.objects.filter(verb="initiatives.tier_reached", target_id=str(collecting.pk)).count() == 1
    # The next window is now the second tier's.
    assert collecting.open_until == collecting.tiers.get(position=2).window_ends_at
    assert Notification.objects.filter(recipient=follower, event="initiatives.tier_reached").count() == 1
    assert Notification.objects.filter(recipient=participant, event="initiatives.tier_reached").count() == 1
    # Signers follow and hear about it too; each got a confirmation e-mail.
    assert Notification.objects.filter(recipient=signers[0], event="initiatives.tier_reached").count() == 1
    confirmations = [message for message in mail.outbox if collecting.title in message.subject]
    assert sorted(message.to[0] for message in confirmations) == sorted(signer.email for signer in signers)


def test_progress_notices_at_a_third_and_two_thirds(collecting, organization):
    follower = factories.UserFactory()
    factories.member_of(follower, organization)
    add_follow(user=follower, target=collecting)
    InitiativeTier.objects.filter(initiative=collecting, position=1).update(threshold=6)
    Initiative.objects.filter(pk=collecting.pk).update(next_threshold=6)
    for _ in range(5):
        services.sign(actor=person(organization), initiative=collecting)
    marks = sorted(
        ActionLog.objects.filter(verb="initiatives.progress", target_id=str(collecting.pk)).values_list(
            "data__mark", flat=True
        )
    )
    assert marks == [33, 66]
    assert Notification.objects.filter(recipient=follower, event="initiatives.progress").count() == 2


def test_a_second_signature_is_refused(collecting, organization):
    signer = person(organization)
    services.sign(actor=signer, initiative=collecting)
    with pytest.raises(PermissionDenied, match="already signed"):
        services.sign(actor=signer, initiative=collecting)
    collecting.refresh_from_db()
    assert collecting.signature_count == 1


def test_a_signature_after_the_window_is_refused(collecting, organization):
    Initiative.objects.filter(pk=collecting.pk).update(open_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(PermissionDenied, match="collection ended"):
        services.sign(actor=person(organization), initiative=collecting)
    assert not Signature.objects.filter(initiative=collecting).exists()


def test_an_ineligible_person_is_refused_with_the_reason(collecting, organization, participant):
    young = person(organization, born=date.today() - timedelta(days=365 * 15 + 10))
    with pytest.raises(PermissionDenied, match="at least 16"):
        services.sign(actor=young, initiative=collecting)
    # Not verified at all: told to verify their date of birth.
    decision = can(participant, "initiatives.sign", collecting)
    assert not decision and "date of birth" in decision.reason


def test_age_is_taken_on_the_day_of_signing(collecting, organization):
    today = timezone.localdate()
    sixteen_today = person(organization, born=today.replace(year=today.year - 16))
    services.sign(actor=sixteen_today, initiative=collecting)
    assert Signature.objects.filter(user=sixteen_today).exists()


def test_paper_only_initiatives_are_not_signed_online(collecting, organization):
    collecting.type.signing = "paper"
    collecting.type.save()
    with pytest.raises(PermissionDenied, match="paper only"):
        services.sign(actor=person(organization), initiative=collecting)


def test_withdrawal_lowers_the_count_when_allowed(collecting, organization):
    signer = person(organization)
    services.sign(actor=signer, initiative=collecting)
    services.withdraw(actor=signer, initiative=collecting)
    collecting.refresh_from_db()
    assert collecting.signature_count == 0 and not Signature.objects.exists()
    with pytest.raises(PermissionDenied, match="not signed"):
        services.withdraw(actor=signer, initiative=collecting)
    collecting.type.withdrawal_allowed = False
    collecting.type.save()
    services.sign(actor=signer, initiative=collecting)
    with pytest.raises(PermissionDenied, match="cannot be withdrawn"):
        services.withdraw(actor=signer, initiative=collecting)


def _line(**overrides):
    values = dict(
        last_name="Martin",
        first_name="Camille",
        birth_date=date(1994, 6, 15),
        postal_code="38000",
        signed_on=timezone.localdate(),
    )
    values.update(overrides)
    return services.PaperLine(**values)


def test_a_paper_line_duplicating_an_online_signature_is_refused(collecting, organization, org_admin):
    camille = person(organization, born=date(1994, 6, 15))
    key = person_key(organization, last_name="Martin", first_name="Camille", birth_date=date(1994, 6, 15))
    Identity.objects.create(organization=organization, key=key, user=camille)
    from agora.verifications.models import Verification

    Verification.objects.filter(user=camille).update(identity=Identity.objects.get(key=key))
    services.sign(actor=camille, initiative=collecting)
    with pytest.raises(ValidationError, match="already signed online"):
        services.add_paper_line(actor=org_admin, initiative=collecting, sheet=1, line=1, person=_line())
    services.add_paper_line(
        actor=org_admin, initiative=collecting, sheet=1, line=2, person=_line(first_name="Karim", last_name="Haddad")
    )
    with pytest.raises(ValidationError, match="sheet 1, line 2"):
        services.add_paper_line(
            actor=org_admin,
            initiative=collecting,
            sheet=2,
            line=1,
            person=_line(first_name="Karim", last_name="Haddad"),
        )
    collecting.refresh_from_db()
    assert collecting.signature_count == 2
    assert ActionLog.objects.filter(verb="initiatives.paper_line").count() == 1


def test_paper_lines_check_age_on_the_day_and_the_window(collecting, org_admin, participant):
    with pytest.raises(ValidationError, match="minimum age"):
        services.add_paper_line(
            actor=org_admin,
            initiative=collecting,
            sheet=1,
            line=1,
            person=_line(birth_date=timezone.localdate() - timedelta(days=365 * 15)),
        )
    with pytest.raises(ValidationError, match="before the initiative was published"):
        services.add_paper_line(
            actor=org_admin,
            initiative=collecting,
            sheet=1,
            line=1,
            person=_line(signed_on=timezone.localdate() - timedelta(days=3)),
        )
    with pytest.raises(PermissionDenied):
        services.add_paper_line(actor=participant, initiative=collecting, sheet=1, line=1, person=_line())


def test_a_counted_sheet_needs_a_real_scan(collecting, org_admin, participant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    fake = SimpleUploadedFile("scan.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError, match="PDF or a picture"):
        services.add_sheet_count(
            actor=org_admin, initiative=collecting, sheet=1, count=12, scan=fake, last_signed_on=today
        )
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
    with pytest.raises(PermissionDenied):
        services.add_sheet_count(
            actor=participant, initiative=collecting, sheet=1, count=12, scan=scan, last_signed_on=today
        )
    with pytest.raises(ValidationError, match="date of the last signature"):
        services.add_sheet_count(actor=org_admin, initiative=collecting, sheet=1, count=12, scan=scan)
    services.add_sheet_count(actor=org_admin, initiative=collecting, sheet=1, count=12, scan=scan, last_signed_on=today)
    collecting.refresh_from_db()
    assert collecting.signature_count == 12
    assert collecting.tiers.get(position=2).reached_at is not None  # 12 >= 5: both tiers reached
    assert collecting.state == Initiative.State.CLOSED  # the last tier reached closes the collection


def test_the_sample_is_re_derivable_and_struck_signatures_lower_the_count(collecting, organization, org_admin):
    InitiativeTier.objects.filter(initiative=collecting, position=2).update(threshold=100)
    for _ in range(10):
        services.sign(actor=person(organization), initiative=collecting)
    row = collecting.tiers.get(position=1)
    row.initiative = collecting
    with pytest.raises(ValidationError, match="Publish the seed"):
        services.draw_sample(actor=org_admin, row=row)
    services.publish_seed(actor=org_admin, row=row, percent=Decimal("20"), seed="loto-2026-03-14")
    drawn = services.draw_sample(actor=org_admin, row=row)
    assert len(drawn.sample) == 2
    # Anyone re-derives the draw from the published seed and the ordered signature numbers.
    again = services.draw_indices("loto-2026-03-14", len(drawn.sample_population), 2)
    assert [drawn.sample_population[index] for index in again] == drawn.sample
    with pytest.raises(ValidationError, match="already been drawn"):
        services.draw_sample(actor=org_admin, row=row)
    signature = Signature.objects.get(pk=drawn.sample[0])
    signature.initiative = collecting
    services.strike(actor=org_admin, signature=signature, reason="Ne réside pas dans la commune")
    collecting.refresh_from_db()
    assert collecting.signature_count == 9
    with pytest.raises(ValidationError):
        services.strike(actor=org_admin, signature=signature, reason="encore")


def test_draw_indices_is_fixed_by_the_documented_procedure():
    # The published example of docs/initiatives.md: anyone can check it with sha256sum.
    assert services.draw_indices("exemple", 100, 5) == services.draw_indices("exemple", 100, 5)
    assert len(set(services.draw_indices("exemple", 10, 10))) == 10


def test_the_worker_closes_or_lapses_collections_past_their_window(collecting, organization, participant):
    past = timezone.now() - timedelta(seconds=1)
    Initiative.objects.filter(pk=collecting.pk).update(open_until=past)
    assert services.close_due() == 1
    collecting.refresh_from_db()
    assert collecting.state == Initiative.State.LAPSED
    assert services.close_due() == 0  # idempotent
    assert Notification.objects.filter(recipient=participant, event="initiatives.changed").exists()


def test_answering_a_reached_tier_answers_the_closed_initiative(collecting, organization, org_admin):
    for _ in range(3):
        services.sign(actor=person(organization), initiative=collecting)
    Initiative.objects.filter(pk=collecting.pk).update(open_until=timezone.now() - timedelta(seconds=1))
    services.close_due()
    row = collecting.tiers.get(position=1)
    row.initiative = Initiative.objects.get(pk=collecting.pk)
    with pytest.raises(PermissionDenied):
        services.answer_tier(actor=person(organization), row=row, response={"fr": "<p>Non</p>"})
    services.answer_tier(actor=org_admin, row=row, response={"fr": "<p>Rapport de médiation.</p>"})
    assert Initiative.objects.get(pk=collecting.pk).state == Initiative.State.ANSWERED


def test_types_and_tiers_are_the_officers(component, kind, participant, org_admin, organization):
    with pytest.raises(PermissionDenied):
        services.save_type(actor=participant, component=component, title={"fr": "X"})
    with pytest.raises(PermissionDenied):
        services.save_tier(actor=participant, initiative_type=kind, threshold=10, window_days=30)
    tier = services.save_tier(
        actor=org_admin,
        initiative_type=kind,
        threshold=None,
        percent=Decimal("20"),
        window_days=365,
        kind=Tier.Kind.VOTE,
    )
    assert tier.position == 3 and services.threshold_in(tier, None) == 8000
    district = factories.ScopeFactory(organization=organization)
    services.save_scope_threshold(actor=org_admin, tier=tier, scope=district, threshold=900)
    assert services.threshold_in(tier, district) == 900
    kind.population = None
    with pytest.raises(ValidationError, match="population"):
        services.save_tier(actor=org_admin, initiative_type=kind, percent=Decimal("5"), window_days=30)


def test_the_vote_api(collecting, organization):
    tier = collecting.tiers.get(position=1).tier
    Tier.objects.filter(pk=tier.pk).update(kind=Tier.Kind.VOTE)
    for _ in range(3):
        services.sign(actor=person(organization), initiative=collecting)
    requests = api.vote_requests(collecting.component_id)
    assert [request.initiative_id for request in requests] == [collecting.pk]
    api.vote_opened(actor=None, initiative_id=collecting.pk, reference="/votes/1/")
    assert api.vote_requests(collecting.component_id) == []
    assert ActionLog.objects.filter(verb="initiatives.vote_opened").exists()


def test_the_end_of_the_window_is_queued_for_the_worker(component, kind, participant, org_admin, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    initiative = Initiative.objects.create(
        component=component, type=kind, title="T", body="<p>x</p>", author=participant, state="submitted"
    )
    published = services.decide_admissibility(actor=org_admin, initiative=initiative, admissible=True)
    queued = [result for result in default_task_backend.results if result.task.name == "advance_task"]
    assert [(result.args, result.task.run_after) for result in queued] == [([published.pk], published.open_until)]


def test_filing_is_refused_without_a_kind_or_outside_its_phase(component, participant):
    decision = can(participant, "initiatives.create", component)
    assert not decision and "No kind" in decision.reason


def test_the_staff_actions_are_refused_to_participants(collecting, organization, participant, org_admin, kind):
    other = person(organization)
    for _ in range(3):
        services.sign(actor=person(organization), initiative=collecting)
    row = collecting.tiers.get(position=1)
    row.initiative = collecting
    signature = Signature.objects.filter(initiative=collecting).first()
    signature.initiative = collecting
    tier = kind.tiers.get(position=1)
    district = factories.ScopeFactory(organization=organization)
    refused = [
        lambda: services.publish_seed(actor=other, row=row, percent=Decimal("20"), seed="loto-2026-03-14"),
        lambda: services.draw_sample(actor=other, row=row),
        lambda: services.strike(actor=other, signature=signature, reason="faux"),
        lambda: services.delete_tier(actor=other, tier=tier),
        lambda: services.save_scope_threshold(actor=other, tier=tier, scope=district, threshold=10),
        lambda: services.delete_type(actor=other, item=kind),
        lambda: services.withdraw(actor=other, initiative=collecting),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    draft = services.create_initiative(
        actor=participant, component=collecting.component, initiative_type=kind, title="Brouillon", body="x" * 40
    )
    with pytest.raises(PermissionDenied, match="Only the author"):
        services.submit(actor=other, initiative=draft)
    with pytest.raises(PermissionDenied, match="no pending invitation"):
        services.accept_invitation(actor=other, initiative=draft)


# --- paper after the window, duplicates of counted sheets, the sample's outcome, a tier below ---------------


def _pdf(text: bytes = b"scan"):
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.4 " + text)


def test_the_same_scan_is_not_counted_twice(collecting, org_admin):
    InitiativeTier.objects.filter(initiative=collecting).update(threshold=1000)
    Initiative.objects.filter(pk=collecting.pk).update(next_threshold=1000)
    today = timezone.localdate()
    services.add_sheet_count(
        actor=org_admin, initiative=collecting, sheet=1, count=3, scan=_pdf(), last_signed_on=today
    )
    with pytest.raises(ValidationError, match="already entered as sheet 1"):
        services.add_sheet_count(
            actor=org_admin, initiative=collecting, sheet=2, count=3, scan=_pdf(), last_signed_on=today
        )
    with pytest.raises(ValidationError, match="already been entered"):
        services.add_sheet_count(
            actor=org_admin, initiative=collecting, sheet=1, count=3, scan=_pdf(b"other"), last_signed_on=today
        )
    collecting.refresh_from_db()
    assert collecting.signature_count == 3


def _lapse(initiative, days_ago: int = 2) -> None:
    """The first window ended `days_ago` days ago with no tier reached: lapsed."""
    ended = timezone.now() - timedelta(days=days_ago)
    published = ended - timedelta(days=30)
    Initiative.objects.filter(pk=initiative.pk).update(
        published_at=published, open_until=ended, state=Initiative.State.LAPSED, closed_at=ended
    )
    InitiativeTier.objects.filter(initiative=initiative, position=1).update(window_ends_at=ended)
    InitiativeTier.objects.filter(initiative=initiative, position=2).update(window_ends_at=ended + timedelta(days=60))
    initiative.refresh_from_db()


def test_paper_signed_within_the_window_and_entered_late_reaches_the_tier(collecting, org_admin, participant):
    _lapse(collecting)
    within = timezone.localdate() - timedelta(days=5)
    services.add_paper_line(actor=org_admin, initiative=collecting, sheet=1, line=1, person=_line(signed_on=within))
    collecting.refresh_from_db()
    assert collecting.state == Initiative.State.LAPSED and collecting.signature_count == 1
    with pytest.raises(ValidationError, match="after the collection window ended"):
        services.add_paper_line(
            actor=org_admin,
            initiative=collecting,
            sheet=1,
            line=2,
            person=_line(first_name="Paul", signed_on=timezone.localdate()),
        )
    services.add_sheet_count(
        actor=org_admin, initiative=collecting, sheet=2, count=2, scan=_pdf(), last_signed_on=within
    )
    collecting.refresh_from_db()
    row = collecting.tiers.get(position=1)
    assert row.reached_at is not None and row.reached_count == 3
    assert collecting.state == Initiative.State.CLOSED  # awaiting the city's response
    log = ActionLog.objects.get(verb="initiatives.tier_reached")
    assert log.data["late"] is True
    assert collecting.tiers.get(position=2).reached_at is None  # its window: the collection is over


def test_a_late_sheet_dated_after_the_window_is_refused_and_short_of_the_threshold_reaches_nothing(
    collecting, org_admin
):
    _lapse(collecting)
    with pytest.raises(ValidationError, match="after the collection window ended"):
        services.add_sheet_count(
            actor=org_admin, initiative=collecting, sheet=1, count=5, scan=_pdf(), last_signed_on=timezone.localdate()
        )
    services.add_sheet_count(
        actor=org_admin,
        initiative=collecting,
        sheet=1,
        count=2,
        scan=_pdf(),
        last_signed_on=timezone.localdate() - timedelta(days=4),
    )
    collecting.refresh_from_db()
    assert collecting.signature_count == 2 and collecting.state == Initiative.State.LAPSED
    assert collecting.tiers.filter(reached_at__isnull=False).count() == 0


def test_paper_is_refused_long_after_the_collection(collecting, org_admin):
    _lapse(collecting, days_ago=services.PAPER_GRACE_DAYS + 1)
    with pytest.raises(ValidationError, match="can no longer be entered"):
        services.add_paper_line(
            actor=org_admin,
            initiative=collecting,
            sheet=1,
            line=1,
            person=_line(signed_on=timezone.localdate() - timedelta(days=40)),
        )
    assert Signature.objects.count() == 0


def test_the_sample_outcome_is_recorded_and_a_tier_below_its_threshold_says_so(
    collecting, organization, org_admin, participant
):
    InitiativeTier.objects.filter(initiative=collecting, position=2).update(threshold=100)
    for _ in range(3):
        services.sign(actor=person(organization), initiative=collecting)
    row = collecting.tiers.get(position=1)
    row.initiative = collecting
    assert row.reached_at is not None and row.below_since is None
    with pytest.raises(ValidationError, match="Draw the sample"):
        services.record_sample_outcome(actor=org_admin, row=row, outcome="Vérifié")
    services.publish_seed(actor=org_admin, row=row, percent=Decimal("100"), seed="loto-2026-03-14")
    drawn = services.draw_sample(actor=org_admin, row=row)
    signature = Signature.objects.get(pk=drawn.sample[0])
    signature.initiative = collecting
    services.strike(actor=org_admin, signature=signature, reason="Ne réside pas dans la commune")
    with pytest.raises(PermissionDenied):
        services.record_sample_outcome(actor=participant, row=row, outcome="Vérifié")
    checked = services.record_sample_outcome(actor=org_admin, row=row, outcome="Vérifiées auprès du recensement.")
    assert (checked.sample_struck, checked.sample_outcome) == (1, "Vérifiées auprès du recensement.")
    assert ActionLog.objects.filter(verb="initiatives.sample_checked", visibility="public").count() == 1
    # 3 - 1 = 2 < 3: the tier stays reached, dated, and the page says since when the count is below.
    row.refresh_from_db()
    assert row.reached_at is not None and row.below_since is not None
    collecting.refresh_from_db()
    (first, _second) = selectors.progress(collecting)
    assert first.below
    # Paper that brings the count back to the threshold clears the note.
    services.add_paper_line(actor=org_admin, initiative=collecting, sheet=1, line=1, person=_line())
    row.refresh_from_db()
    assert row.below_since is None


def test_signatures_are_reported_to_the_statistics(collecting, organization, org_admin):
    services.sign(actor=person(organization), initiative=collecting)
    services.add_paper_line(actor=org_admin, initiative=collecting, sheet=1, line=1, person=_line())
    rows = DailyCount.objects.filter(kind="signature").values("channel").annotate(total=Sum("count"))
    counts = {row["channel"]: row["total"] for row in rows}
    assert counts == {"online": 1, "paper": 1}
