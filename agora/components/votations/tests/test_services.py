"""The citizen-vote component's services: preparing and opening a vote, every
channel of a ballot and its refusals, one ballot per person across channels,
station counts, the results and the adoption rules, the recount export, and a
vote opened on an initiative."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.components.initiatives import api as initiatives_api
from agora.components.initiatives.models import Initiative, InitiativeTier, InitiativeType, Tier
from agora.components.votations import hooks, selectors, services
from agora.components.votations.models import Ballot, Mark, Option, Question, Votation
from agora.components.votations.tests.conftest import build, option, yes_marks
from agora.core.translations import tr
from agora.desk.models import DeskAgent
from agora.outbox.models import OutgoingEmail
from agora.permissions import PermissionDenied, can
from agora.statistics.models import DailyCount
from agora.testing import factories
from agora.verifications import services as verifications
from agora.verifications.models import EligibilityRule

pytestmark = pytest.mark.django_db


def person(organization, *, last="Martin", first="Claire", born=date(1980, 5, 4)):
    """A participant verified in person (civil identity known: name and date of birth)."""
    user = factories.UserFactory()
    factories.member_of(user, organization)
    agent = factories.UserFactory()
    DeskAgent.objects.create(organization=organization, user=agent)
    verifications.record_in_person(
        actor=agent, organization=organization, user=user, last_name=last, first_name=first, birth_date=born
    )
    return user


def test_the_description_is_sanitised_and_a_yes_no_question_gets_its_options(component, org_admin):
    votation = build(component, org_admin)
    assert "<script" not in votation.description["fr"]
    question = votation.questions.get()
    assert list(question.options.values_list("role", flat=True)) == ["yes", "no"]


def test_opening_needs_a_complete_vote_and_refuses_others(component, org_admin, participant):
    empty = services.save_votation(actor=org_admin, component=component, title=tr("Vide"))
    with pytest.raises(ValidationError) as refused:
        services.open_votation(actor=org_admin, votation=empty)
    assert "Add at least one question." in refused.value.messages
    assert "Give the date the vote closes." in refused.value.messages
    votation = build(component, org_admin)
    with pytest.raises(PermissionDenied):
        services.open_votation(actor=participant, votation=votation)
    votation.refresh_from_db()
    assert votation.state == Votation.State.DRAFT
    services.open_votation(actor=org_admin, votation=votation)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.save_question(actor=org_admin, votation=votation, title=tr("Encore ?"))


def test_a_participant_votes_once_with_a_receipt_and_statistics(open_vote, participant):
    ballot = services.cast_ballot(actor=participant, votation=open_vote, marks=yes_marks(open_vote))
    assert len(ballot.receipt) == 14 and ballot.person_key == f"account:{participant.pk}"
    assert option(open_vote, "yes").votes_online == 1
    assert OutgoingEmail.objects.filter(key=f"votations.receipt:{ballot.pk}").exists()
    assert DailyCount.objects.filter(kind="ballot").exists()
    with pytest.raises(PermissionDenied, match="already voted"):
        services.cast_ballot(actor=participant, votation=open_vote, marks=yes_marks(open_vote, "no"))
    assert option(open_vote, "no").votes_online == 0 and Ballot.objects.count() == 1


def test_voting_is_refused_outside_the_dates_and_to_the_ineligible(open_vote, participant, organization):
    EligibilityRule.objects.create(component=open_vote.component, action="vote", methods=["census"])
    decision = can(participant, "votations.vote", open_vote)
    assert not decision
    with pytest.raises(PermissionDenied):
        services.cast_ballot(actor=participant, votation=open_vote, marks=yes_marks(open_vote))
    EligibilityRule.objects.all().delete()
    Votation.objects.filter(pk=open_vote.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(PermissionDenied, match="Voting closed on"):
        services.cast_ballot(actor=participant, votation=open_vote, marks=yes_marks(open_vote))
    assert Ballot.objects.count() == 0


def test_a_vote_in_preparation_is_refused(component, org_admin, participant):
    votation = build(component, org_admin)
    with pytest.raises(PermissionDenied, match="not open"):
        services.cast_ballot(actor=participant, votation=votation, marks=yes_marks(votation))
    assert not can(participant, "votations.view", votation)


def test_marks_are_checked_per_question(component, org_admin, participant):
    votation = services.open_votation(
        actor=org_admin, votation=build(component, org_admin, kinds=("yes_no", "multiple", "ranked"))
    )
    yes_no, multiple, ranked = votation.questions.order_by("position")
    a, b, c = multiple.options.order_by("position")
    ra, rb, rc = ranked.options.order_by("position")
    both = {yes_no.pk: {o.pk: 1 for o in yes_no.options.all()}}
    assert services.check_marks(votation, both) == [f"“{yes_no}”: choose one answer only."]
    assert services.check_marks(votation, {multiple.pk: {a.pk: 1, b.pk: 1, c.pk: 1}}) == [
        f"“{multiple}”: choose at most 2 options."
    ]
    assert services.check_marks(votation, {ranked.pk: {ra.pk: 1, rb.pk: 3}}) == [
        f"“{ranked}”: give each option you rank a different place, 1, 2, 3 … without gaps."
    ]
    assert services.check_marks(votation, {multiple.pk: {ra.pk: 1}}) == [
        f"“{multiple}”: an option of another question was marked."
    ]
    with pytest.raises(services.BallotRefused):
        services.cast_ballot(actor=participant, votation=votation, marks=both)
    assert Ballot.objects.count() == 0
    services.cast_ballot(
        actor=participant, votation=votation, marks={multiple.pk: {a.pk: 1, c.pk: 1}, ranked.pk: {rb.pk: 1, ra.pk: 2}}
    )
    ranked_options = {o.pk: o for o in Option.objects.filter(question=ranked)}
    # Two places (max_choices 2): first 2 points, second 1 point; "votes" of a ranking are first places.
    assert (ranked_options[rb.pk].points_online, ranked_options[rb.pk].votes_online) == (2, 1)
    assert (ranked_options[ra.pk].points_online, ranked_options[ra.pk].votes_online) == (1, 0)


def test_one_ballot_per_person_across_online_and_paper(open_vote, organization, org_admin):
    voter = person(organization)
    services.cast_ballot(actor=voter, votation=open_vote, marks=yes_marks(open_vote))
    with pytest.raises(services.BallotRefused, match="already voted in this vote"):
        services.enter_paper_ballot(
            actor=org_admin,
            votation=open_vote,
            marks=yes_marks(open_vote, "no"),
            station="Mairie",
            identity=services.PaperIdentity("MARTIN", "claire", date(1980, 5, 4)),
        )
    assert Ballot.objects.count() == 1 and option(open_vote, "no").votes_paper == 0


def test_a_paper_ballot_with_identity_then_online_is_refused(open_vote, organization, org_admin):
    services.enter_paper_ballot(
        actor=org_admin,
        votation=open_vote,
        marks=yes_marks(open_vote, "no"),
        station="Mairie",
        identity=services.PaperIdentity("Martin", "Claire", date(1980, 5, 4)),
    )
    voter = person(organization)
    with pytest.raises(services.BallotRefused, match="already been recorded"):
        services.cast_ballot(actor=voter, votation=open_vote, marks=yes_marks(open_vote))
    assert option(open_vote, "no").votes_paper == 1 and option(open_vote, "yes").votes_online == 0


def test_paper_entries_are_refused_to_participants_and_before_opening(component, org_admin, participant, open_vote):
    with pytest.raises(PermissionDenied):
        services.enter_paper_ballot(actor=participant, votation=open_vote, marks={}, station="Mairie")
    with pytest.raises(PermissionDenied):
        services.enter_station_count(actor=participant, votation=open_vote, station="Mairie", ballots=3, votes={})
    draft = build(component, org_admin)
    with pytest.raises(ValidationError, match="once the vote is open"):
        services.enter_paper_ballot(actor=org_admin, votation=draft, marks={}, station="Mairie")
    with pytest.raises(ValidationError, match="Give the polling station"):
        services.enter_paper_ballot(actor=org_admin, votation=open_vote, marks={}, station=" ")
    assert Ballot.objects.count() == 0


def test_station_counts_are_checked_and_entered_once(open_vote, org_admin):
    yes, no = option(open_vote, "yes"), option(open_vote, "no")
    with pytest.raises(ValidationError, match="more than the ballots in the box"):
        services.enter_station_count(
            actor=org_admin, votation=open_vote, station="Mairie", ballots=10, votes={yes.pk: 6, no.pk: 5}
        )
    services.enter_station_count(
        actor=org_admin, votation=open_vote, station="Mairie", ballots=10, votes={yes.pk: 6, no.pk: 3}
    )
    with pytest.raises(ValidationError, match="already been counted"):
        services.enter_station_count(actor=org_admin, votation=open_vote, station="Mairie", ballots=1, votes={})
    yes.refresh_from_db()
    assert yes.votes_paper == 6


def test_a_ranking_cannot_be_counted_by_station(component, org_admin):
    votation = services.open_votation(actor=org_admin, votation=build(component, org_admin, kinds=("ranked",)))
    with pytest.raises(ValidationError, match="one by one"):
        services.enter_station_count(actor=org_admin, votation=votation, station="Mairie", ballots=1, votes={})


def test_results_apply_the_adoption_rule_with_the_online_paper_split(component, org_admin, organization):
    votation = build(component, org_admin, electorate=40)
    question = votation.questions.get()
    services.save_question(
        actor=org_admin, votation=votation, item=question, min_in_favour=5, quorum_percent=Decimal("25")
    )
    services.open_votation(actor=org_admin, votation=votation)
    yes, no = option(votation, "yes"), option(votation, "no")
    for _n in range(3):
        voter = factories.UserFactory()
        factories.member_of(voter, organization)
        services.cast_ballot(actor=voter, votation=votation, marks=yes_marks(votation))
    services.enter_station_count(
        actor=org_admin, votation=votation, station="Mairie", ballots=6, votes={yes.pk: 3, no.pk: 2}
    )
    figures, (result,) = selectors.results(votation)
    assert (figures.online, figures.paper, figures.total) == (3, 6, 9)
    assert (result.in_favour, result.against, result.blank) == (6, 2, 1)
    # More yes than no, 6 ≥ 5 in favour, but a turnout of 9/40 = 22.5 % < 25 %.
    assert [condition.met for condition in result.conditions] == [True, True, False]
    assert not result.adopted
    services.enter_paper_ballot(actor=org_admin, votation=votation, marks=yes_marks(votation), station="Poste")
    _figures, (result,) = selectors.results(votation)
    assert result.adopted  # 10/40 = 25 %


def test_results_stay_hidden_until_the_end_unless_live(open_vote, org_admin, component):
    assert not open_vote.results_visible
    live = services.open_votation(actor=org_admin, votation=build(component, org_admin, live_results=True))
    assert live.results_visible
    closed = services.close_votation(actor=org_admin, votation=open_vote)
    assert closed.results_visible and closed.state == Votation.State.CLOSED


def test_closing_is_refused_to_participants_and_done_by_the_worker(open_vote, participant):
    with pytest.raises(PermissionDenied):
        services.close_votation(actor=participant, votation=open_vote)
    Votation.objects.filter(pk=open_vote.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.close_due() == 1 and services.close_due() == 0
    open_vote.refresh_from_db()
    assert open_vote.state == Votation.State.CLOSED


def test_the_recount_export_has_no_person_and_a_shuffled_order(open_vote, organization, org_admin):
    voters = []
    for n in range(30):
        voter = factories.UserFactory()
        factories.member_of(voter, organization)
        voters.append(voter)
        services.cast_ballot(actor=voter, votation=open_vote, marks=yes_marks(open_vote, "yes" if n < 10 else "no"))
    _questions, first = selectors.anonymised_ballots(open_vote, seed=1)
    _questions, second = selectors.anonymised_ballots(open_vote, seed=2)
    assert sorted(first) == sorted(second) == [["1"]] * 10 + [["2"]] * 20
    assert first != second  # the order depends on the shuffle, not on when people voted
    text = "".join(",".join(map(str, row)) for row in hooks.recount_rows(open_vote))
    for voter in voters:
        assert voter.email not in text
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        assert receipt not in text


def test_documents_are_checked_by_their_content(open_vote, org_admin, participant):
    question = open_vote.questions.get()
    fake = SimpleUploadedFile("rapport.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF, ODT or DOCX"):
        services.add_document(actor=org_admin, question=question, title="Rapport", upload=fake)
    real = SimpleUploadedFile("rapport.bin", b"%PDF-1.4\n%%EOF\n", content_type="application/octet-stream")
    with pytest.raises(PermissionDenied):
        services.add_document(actor=participant, question=question, title="Rapport", upload=real)
    document = services.add_document(actor=org_admin, question=question, title="Rapport", upload=real)
    assert document.file.name.endswith(".pdf")


@pytest.fixture
def initiative_at_vote(process, org_admin, participant):
    initiatives = factories.ComponentFactory(space=process, manifest_name="initiatives")
    kind = InitiativeType.objects.create(component=initiatives, title=tr("Interpellation"))
    tier = Tier.objects.create(type=kind, position=1, threshold=2, window_days=30, kind=Tier.Kind.VOTE)
    initiative = Initiative.objects.create(
        component=initiatives,
        type=kind,
        title="Des bus gratuits",
        question="Les bus doivent-ils être gratuits ?",
        body="<p>Le texte.</p>",
        author=participant,
        state=Initiative.State.CLOSED,
        published_at=timezone.now() - timedelta(days=5),
        signature_count=2,
    )
    InitiativeTier.objects.create(
        initiative=initiative,
        tier=tier,
        position=1,
        threshold=2,
        window_ends_at=timezone.now() + timedelta(days=25),
        reached_at=timezone.now(),
    )
    return initiative


def test_an_initiative_at_its_vote_tier_opens_a_prefilled_vote_once(
    component, org_admin, participant, initiative_at_vote
):
    (request,) = initiatives_api.vote_requests(initiative_at_vote.component_id)
    with pytest.raises(PermissionDenied):
        services.open_from_initiative(actor=participant, component=component, request=request)
    votation = services.open_from_initiative(actor=org_admin, component=component, request=request)
    question = votation.questions.get()
    assert question.title["fr"] == "Les bus doivent-ils être gratuits ?" and question.kind == Question.Kind.YES_NO
    assert "<p>Le texte.</p>" in question.booklet["fr"]
    initiative_at_vote.refresh_from_db()
    assert initiative_at_vote.vote_reference == votation.get_absolute_url()
    assert ActionLog.objects.filter(verb="initiatives.vote_opened").count() == 1
    assert initiatives_api.vote_requests(initiative_at_vote.component_id) == []
    with pytest.raises(ValidationError, match="already been opened"):
        services.open_from_initiative(actor=org_admin, component=component, request=request)
    assert Votation.objects.filter(initiative_id=initiative_at_vote.pk).count() == 1
    assert Mark.objects.count() == 0
