"""The printable receipt of a ballot cast at a desk for a person without
e-mail: nothing is e-mailed, no page says it was, and the receipt page gives
the code (proof the ballot is recorded) without the choices."""

import pytest
from django.core import mail
from django.utils import translation

from agora.components.budgets.models import Ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.outbox.models import OutgoingEmail
from agora.testing import factories


@pytest.fixture
def budget(process):
    component = factories.ComponentFactory(space=process, manifest_name="budgets", settings={})
    phase = factories.PhaseFactory(space=process, is_active=True)
    component.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    component.save()
    budget = BudgetFactory(component=component, min_projects=1, max_projects=2)
    ProjectFactory(budget=budget, cost=10_000, title={"fr": "Jardin des Tilleuls", "en": "Tilleuls garden"})
    ProjectFactory(budget=budget, cost=20_000, title={"fr": "Piste cyclable", "en": "Cycle lane"})
    return budget


def _receipt_url(budget):
    return budget.get_my_receipt_url()


def test_a_desk_ballot_for_a_person_without_e_mail(client, agent, odette, budget):
    client.force_login(agent)
    client.post(f"/admin/desk/people/{odette.pk}/act/")
    garden = budget.projects.get(title__fr="Jardin des Tilleuls")
    response = client.post(budget.get_absolute_url(), {"project": str(garden.pk), "vote": "1"}, follow=True)
    ballot = Ballot.objects.get(voter=odette)
    assert ballot.channel == Ballot.Channel.DESK
    # Nothing e-mailed (her account has a placeholder address), and no page says it was.
    assert not OutgoingEmail.objects.filter(kind="budgets.receipt").exists() and mail.outbox == []
    html = response.content.decode()
    assert ballot.receipt in html and "par e-mail" not in html
    assert "Aucun e-mail n’a été envoyé" in html and "imprimez le reçu" in html
    assert f'href="{_receipt_url(budget)}"' in html
    # The printable receipt: the code, the vote, the channel; never her choices.
    page = client.get(_receipt_url(budget))
    assert page.status_code == 200
    text = page.content.decode()
    assert ballot.receipt in text and "À un guichet" in text
    assert "Jardin des Tilleuls" not in text and "Piste cyclable" not in text
    assert "http://testserver" + budget.get_receipt_check_url() in text
    receipt = text.split('<article class="receipt"')[1].split("</article>")[0]
    assert "par e-mail" not in receipt and "Aucun e-mail n’a été envoyé pour ce bulletin" in receipt
    assert 'rel="stylesheet" href="/static/budgets/receipt.css"' in text
    # The code checks on the public page, which says stored and counted, without the choices.
    check = client.post(budget.get_receipt_check_url(), {"code": ballot.receipt})
    assert "Jardin des Tilleuls" not in check.content.decode() and ballot.receipt in check.content.decode()


def test_an_online_voter_is_told_of_the_e_mail_and_may_print_too(client, participant, budget):
    client.force_login(participant)
    garden = budget.projects.get(title__fr="Jardin des Tilleuls")
    client.cookies["agora_language"] = "en"
    response = client.post(
        budget.get_absolute_url(), {"project": str(garden.pk), "vote": "1", "confirm": "1"}, follow=True
    )
    ballot = Ballot.objects.get(voter=participant)
    assert "(also sent by e-mail)" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[participant.email]] and ballot.receipt in mail.outbox[0].body
    text = client.get(_receipt_url(budget)).content.decode()
    assert ballot.receipt in text and "The same receipt was sent to you by e-mail." in text
    assert "Tilleuls garden" not in text


def test_no_receipt_without_a_ballot_of_ones_own(
    client, organization, other_organization, agent, odette, budget, participant
):
    from agora.components.budgets import services as budgets

    budgets.cast_ballot(
        actor=odette, budget=budget, choices={budget.projects.first().pk: 1}, channel=Ballot.Channel.DESK
    )
    # Anonymous: log in first.
    response = client.get(_receipt_url(budget))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # Someone else (the agent outside the assisted session, another participant): their own
    # ballot only, and they have none.
    for person in (agent, participant):
        client.force_login(person)
        assert client.get(_receipt_url(budget)).status_code == 404
        assert Ballot.objects.get().receipt not in client.get(budget.get_absolute_url()).content.decode()
    # Another organization's host does not serve this component.
    outsider = factories.UserFactory()
    factories.member_of(outsider, other_organization)
    client.force_login(outsider)
    assert client.get(_receipt_url(budget), HTTP_HOST="other.example.org").status_code == 404


def test_nothing_is_ever_queued_for_an_address_that_cannot_receive_mail(organization):
    from agora.outbox.services import deliverable, queue_email

    for address in ("desk-1@managed.invalid", "deleted-3@deleted.invalid", "x@INVALID", ""):
        assert not deliverable(address)
        assert queue_email(key=f"test:{address}", to=address, subject="s", text="t", organization=organization) is None
    assert deliverable("odette@example.org") and deliverable("a@invalid.example.org")
    assert not OutgoingEmail.objects.exists()


def test_notifications_to_a_person_without_e_mail_stay_on_the_site(organization, odette):
    from agora.notifications import services as notifications
    from agora.notifications.models import Notification

    notifications.notify(event="comments.reply", recipients=[odette], organization=organization, url="/a/")
    assert Notification.objects.filter(recipient=odette).exists()
    assert not OutgoingEmail.objects.exists() and mail.outbox == []


def test_the_receipt_page_in_english(client, participant, budget):
    from agora.components.budgets import services as budgets

    budgets.cast_ballot(actor=participant, budget=budget, choices={budget.projects.first().pk: 1})
    client.force_login(participant)
    client.cookies["agora_language"] = "en"
    with translation.override("en"):
        text = client.get(_receipt_url(budget)).content.decode()
    assert "Receipt of your vote" in text and "Your receipt code" in text and "Online" in text
