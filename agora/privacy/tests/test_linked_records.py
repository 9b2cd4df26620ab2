"""Download my data also holds the newsletters (consent and each send), the public
desk's records and the answers to meetings' registration forms: the person's own,
never another person's."""

import csv
import io
import zipfile
from datetime import date

import pytest

from agora.accounts import services as accounts
from agora.components.meetings import services as meetings
from agora.components.meetings.tests.conftest import make_meeting
from agora.core.translations import tr
from agora.desk import services as desk
from agora.newsletters import services as newsletters
from agora.newsletters.models import Block, Newsletter, Recipient
from agora.privacy import personal_data
from agora.questionnaires import services as questionnaire_services
from agora.testing import factories

pytestmark = pytest.mark.django_db


def _export(person, tmp_path) -> dict[str, list[dict]]:
    path = tmp_path / f"{person.pk}.zip"
    personal_data.write_zip(person, path, language="fr")
    archive = zipfile.ZipFile(path)
    return {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def _everything(files) -> str:
    return " ".join(f"{name} {' '.join(row.values())}" for name, rows in files.items() for row in rows)


def _member(organization, **fields):
    user = factories.UserFactory(**fields)
    factories.member_of(user, organization)
    return user


def test_newsletters_consent_and_sends(tmp_path, organization, org_admin):
    organization.sender_email = "lettre@testserver.example"
    organization.save(update_fields=["sender_email"])
    jeanne = _member(organization, email="jeanne@exemple.fr")
    other = _member(organization, email="paul@exemple.fr")
    for person in (jeanne, other):
        accounts.set_newsletter_consent(actor=person, user=person, organization=organization, consent=True)
    letter = Newsletter.objects.create(
        organization=organization, subject=tr("Les nouvelles de juin", "June news"), created_by=org_admin
    )
    Block.objects.create(newsletter=letter, kind=Block.Kind.TEXT, position=1, text=tr("<p>Bonjour.</p>"))
    newsletters.send(actor=org_admin, newsletter=letter)
    mine = Recipient.objects.get(user=jeanne, newsletter=letter)
    accounts.set_newsletter_consent(actor=jeanne, user=jeanne, organization=organization, consent=False)

    files = _export(jeanne, tmp_path)
    received = files["newsletters/received.csv"]
    assert [row["newsletter_id"] for row in received] == [str(letter.pk)]
    assert "Les nouvelles de juin" in received[0]["newsletter__subject"]
    assert received[0]["state"] == mine.state == Recipient.State.QUEUED
    assert received[0]["queued_at"] and received[0]["email__state"]
    consent = files["newsletters/consent.csv"]
    assert [(row["event"], row["given"]) for row in consent] == [
        ("current", "false"),
        ("given", "true"),
        ("withdrawn", "false"),
    ]
    assert {row["organization"] for row in consent} == {organization.name}
    assert "paul@exemple.fr" not in _everything(files)
    # Paul's export has his own send, not Jeanne's.
    assert [row["newsletter_id"] for row in _export(other, tmp_path)["newsletters/received.csv"]] == [str(letter.pk)]
    assert len(Recipient.objects.filter(newsletter=letter)) == 2


def test_the_desk_records_of_an_agent_and_of_a_person_registered_at_the_desk(tmp_path, organization, org_admin):
    agent = _member(organization, email="agent@mairie.example", name="Agnès Guichet")
    desk.grant_agent(actor=org_admin, organization=organization, user=agent)
    managed = desk.create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Marcel D.",
        last_name="Dupont",
        first_name="Marcel",
        birth_date=date(1941, 3, 2),
        postal_code="75011",
        accepted_terms=True,
    )
    outsider = _member(organization, email="nobody@exemple.fr")

    agents_files = _export(agent, tmp_path)
    assert [row["organization__name"] for row in agents_files["desk/desk_agent.csv"]] == [organization.name]
    assert agents_files["desk/account_opened_at_desk.csv"] == []
    assert "Dupont" not in _everything(agents_files) and "Marcel" not in _everything(agents_files)

    managed_files = _export(managed.user, tmp_path)
    opened = managed_files["desk/account_opened_at_desk.csv"]
    assert [row["organization__name"] for row in opened] == [organization.name] and opened[0]["created_at"]
    assert managed_files["desk/desk_agent.csv"] == []
    assert "Guichet" not in _everything(managed_files) and "agent@mairie.example" not in _everything(managed_files)

    nothing = _export(outsider, tmp_path)
    assert nothing["desk/desk_agent.csv"] == [] and nothing["desk/account_opened_at_desk.csv"] == []


def test_the_answers_to_meetings_registration_forms(tmp_path, organization, org_admin, process):
    component = factories.ComponentFactory(space=process, manifest_name="meetings")
    meeting = make_meeting(component)
    meetings.registration_form(actor=org_admin, meeting=meeting)
    diet = questionnaire_services.add_question(
        actor=org_admin,
        questionnaire=meeting.questionnaire,
        kind="short_text",
        fields={"title": tr("Régime alimentaire"), "mandatory": True},
    )
    jeanne = _member(organization, email="jeanne@exemple.fr")
    paul = _member(organization, email="paul@exemple.fr")
    meetings.register(actor=jeanne, meeting=meeting, values={diet.pk: "Végétarien"})
    meetings.register(actor=paul, meeting=meeting, values={diet.pk: "Sans gluten"})
    plain = make_meeting(component, title=tr("Réunion sans formulaire"))
    meetings.register(actor=jeanne, meeting=plain)

    files = _export(jeanne, tmp_path)
    assert files["meetings/registration_answers.csv"] == [
        {"meeting_id": str(meeting.pk), "question": "Q1 Régime alimentaire", "answer": "Végétarien"}
    ]
    assert {row["meeting_id"] for row in files["meetings/registrations.csv"]} == {str(meeting.pk), str(plain.pk)}
    assert "Sans gluten" not in _everything(files)
    assert [row["answer"] for row in _export(paul, tmp_path)["meetings/registration_answers.csv"]] == ["Sans gluten"]
