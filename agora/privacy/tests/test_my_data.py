"""Download my data: asked by the person, prepared by the worker, announced by
e-mail, downloadable by that person alone after logging in again, for 7 days."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agora.accounts import services as accounts
from agora.accounts.models import ConsentRecord
from agora.comments.services import create_comment
from agora.components.budgets.services import cast_ballot
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.components.registry import registry
from agora.core.files import private_storage
from agora.privacy import personal_data, services
from agora.privacy.models import PersonalDataExport
from agora.testing import factories

pytestmark = pytest.mark.django_db
PASSWORD = "un mot de passe assez long 2026"


@pytest.fixture
def person(organization):
    user = factories.UserFactory(email="jeanne@exemple.fr", name="Jeanne Martin", nickname="jeanne")
    user.set_password(PASSWORD)
    user.save()
    factories.member_of(user, organization)
    return user


@pytest.fixture
def activity(organization, person, participant):
    """Jeanne's idea, comment and ballot; someone else's idea and comment."""
    space = factories.SpaceFactory(organization=organization)
    phase = factories.PhaseFactory(space=space, is_active=True)
    ideas = ProposalsComponentFactory(space=space)
    idea = ProposalFactory(component=ideas, author=person, title="Un banc devant l'école")
    others = ProposalFactory(component=ideas, author=participant, title="L'idée de quelqu'un d'autre")
    create_comment(actor=person, target=others, body="Mon commentaire à moi")
    create_comment(actor=participant, target=idea, body="Le commentaire d'un autre")
    budgets = factories.ComponentFactory(space=space, manifest_name="budgets", settings={})
    budgets.phase_settings = {str(phase.pk): {"votes_enabled": True}}
    budgets.save()
    budget = BudgetFactory(component=budgets, envelope=100_000, min_projects=1, max_projects=3)
    project = ProjectFactory(budget=budget, cost=10_000, title={"fr": "Projet secret de vote"})
    ballot = cast_ballot(actor=person, budget=budget, choices={project.pk: 1})
    accounts.accept_terms(user=person, organization=organization)
    accounts.set_newsletter_consent(actor=person, user=person, organization=organization, consent=True)
    return {"idea": idea, "ballot": ballot, "project": project}


def _files(export) -> dict[str, list[dict]]:
    with private_storage().open(export.name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def _reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def test_the_person_asks_and_gets_everything_about_them_and_nothing_of_others(client, person, activity):
    client.force_login(person)
    response = client.post(reverse("privacy:my_data"))
    assert response.status_code == 302
    export = PersonalDataExport.objects.get(user=person)
    assert export.status == PersonalDataExport.Status.READY  # the immediate task backend ran the worker's part
    assert export.expires_at - export.ready_at == timedelta(days=7)
    assert [
        message.to for message in mail.outbox if "data" in message.subject.lower() or "données" in message.subject
    ] == [["jeanne@exemple.fr"]]
    files = _files(export)
    assert files["account/account.csv"][0]["email"] == "jeanne@exemple.fr"
    assert [row["title"] for row in files["proposals/ideas.csv"]] == ["Un banc devant l'école"]
    assert [row["body"] for row in files["participation/comments.csv"]] == ["Mon commentaire à moi"]
    ballots = files["budgets/ballots.csv"]
    assert [row["receipt"] for row in ballots] == [activity["ballot"].receipt]
    every_value = " ".join(value for rows in files.values() for row in rows for value in row.values())
    assert "Le commentaire d'un autre" not in every_value and "quelqu'un d'autre" not in every_value
    assert set(ballots[0]) == {"budget_id", "budget__component_id", "receipt", "channel", "created_at", "updated_at"}
    found = [name for name, rows in files.items() for row in rows if "Projet secret de vote" in " ".join(row.values())]
    assert found == [], found  # what the person chose is nowhere
    kinds = [(row["kind"], row["given"]) for row in files["account/consents.csv"]]
    assert ("terms", "true") in kinds and ("newsletter", "true") in kinds


def test_download_asks_for_the_password_again_then_serves_the_zip(client, person, activity):
    client.force_login(person)
    client.post(reverse("privacy:my_data"))
    export = PersonalDataExport.objects.get(user=person)
    url = reverse("privacy:download", args=[export.pk])
    asked = client.get(url)
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    _reauthenticate(client)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert response["Cache-Control"] == "private, no-store"
    export.refresh_from_db()
    assert export.downloaded_at is not None


def test_another_person_cannot_download_it(client, organization, person, participant, activity):
    services.request_personal_data(actor=person, organization=organization)
    export = PersonalDataExport.objects.get(user=person)
    url = reverse("privacy:download", args=[export.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))  # anonymous: log in first
    participant.set_password(PASSWORD)
    participant.save()
    client.force_login(participant)
    _reauthenticate(client)
    assert client.get(url).status_code == 404
    assert PersonalDataExport.objects.get(pk=export.pk).downloaded_at is None


def test_one_request_at_a_time_and_one_a_day(client, person):
    client.force_login(person)
    client.post(reverse("privacy:my_data"))
    page = client.post(reverse("privacy:my_data"), follow=True).content.decode()
    assert "il y a moins d" in page  # « Vos données ont été préparées il y a moins d'un jour »
    assert PersonalDataExport.objects.filter(user=person).count() == 1


def test_after_seven_days_it_is_removed(client, person, django_capture_on_commit_callbacks):
    client.force_login(person)
    client.post(reverse("privacy:my_data"))
    export = PersonalDataExport.objects.get(user=person)
    assert private_storage().exists(export.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remove_expired(timezone.now() + timedelta(days=6)) == 0
        assert services.remove_expired(timezone.now() + timedelta(days=7, minutes=1)) == 1
    assert not private_storage().exists(export.name)
    export.refresh_from_db()
    assert export.status == PersonalDataExport.Status.REMOVED and export.name == ""
    _reauthenticate(client)
    assert client.get(reverse("privacy:download", args=[export.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, organization):
    response = client.post(reverse("privacy:my_data"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not PersonalDataExport.objects.exists()


def test_the_consents_are_listed_with_their_dates(client, organization, person):
    accounts.set_newsletter_consent(actor=person, user=person, organization=organization, consent=True)
    accounts.set_newsletter_consent(actor=person, user=person, organization=organization, consent=False)
    records = list(ConsentRecord.objects.filter(user=person).values_list("kind", "given"))
    assert records[-2:] == [("newsletter", True), ("newsletter", False)]
    client.force_login(person)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert page.count("<tr><td>") == len(records)


def test_every_component_that_keeps_people_s_data_gives_it():
    declared = {manifest.name for manifest in registry.all() if manifest.personal_data}
    assert {
        "proposals",
        "budgets",
        "initiatives",
        "meetings",
        "debates",
        "surveys",
        "opinions",
        "sortitions",
    } <= declared
    assert [folder for folder, _provider in personal_data.sources()][:2] == ["account", "participation"]
