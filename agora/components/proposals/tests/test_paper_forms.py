"""Ideas residents gave on paper, at a desk or at a meeting: staff type them
in or import a CSV/XLSX file (preview, every wrong line listed, all or
nothing), each idea marked with its channel on its page, in the exports and
in the statistics. Posting limits do not block staff; moderation still applies."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import Membership
from agora.actionlog.models import ActionLog
from agora.components.proposals import hooks, paper_import, services
from agora.components.proposals.evaluation import exports
from agora.components.proposals.models import IdeaImport, Proposal
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories

from .conftest import configure
from .factories import CustomFieldFactory


@pytest.fixture
def officer(component):
    user = factories.UserFactory()
    factories.member_of(user, component.space.organization)
    Role.objects.create(
        user=user, organization=component.space.organization, space=component.space, name=Role.Name.SPACE_ADMIN
    )
    return user


@pytest.fixture
def category(component):
    return factories.CategoryFactory(
        organization=component.space.organization, name={"fr": "Écologie", "en": "Ecology"}
    )


def url(component, name, **kwargs):
    return reverse(
        f"proposals_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


FORM = {
    "channel": "paper",
    "author_name": "Jeanne M.",
    "title": "Un banc devant la poste",
    "body": "Les personnes âgées attendent debout devant la poste : un banc serait bienvenu.",
}


def test_an_officer_types_in_a_paper_form(client, component, officer):
    client.force_login(officer)
    page = client.get(url(component, "paper_enter"))
    assert page.status_code == 200 and 'name="author_name"' in page.content.decode()
    response = client.post(url(component, "paper_enter"), FORM)
    assert response.status_code == 302
    idea = Proposal.objects.get()
    assert (idea.status, idea.channel, idea.author, idea.author_name) == ("published", "paper", None, "Jeanne M.")
    assert idea.reference and idea.published_at
    log = ActionLog.objects.get(verb="proposals.entered")
    assert log.actor == officer and log.data["channel"] == "paper"
    # The idea's page says who proposed it and how it came, in both languages.
    html = client.get(idea.get_absolute_url()).content.decode()
    assert 'Proposed by Jeanne M., <span class="proposal-channel">on a paper form</span>' in html
    client.cookies["agora_language"] = "fr"
    assert "sur un formulaire papier" in client.get(idea.get_absolute_url()).content.decode()
    assert "Jeanne M." in client.get(component.get_absolute_url()).content.decode()


def test_errors_come_back_on_the_form(client, component, officer):
    client.force_login(officer)
    response = client.post(url(component, "paper_enter"), {**FORM, "author_name": "", "title": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the resident" in html and 'value="Les personnes' not in html  # textarea content, not value
    assert "Les personnes âgées attendent debout" in html
    response = client.post(url(component, "paper_enter"), {**FORM, "author_email": "nobody@example.org"})
    assert response.status_code == 400 and "No participant of this organization" in response.content.decode()
    response = client.post(url(component, "paper_enter"), {**FORM, "channel": "online"})
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_an_idea_entered_for_a_participant_is_theirs(client, component, officer, participant):
    client.force_login(officer)
    response = client.post(
        url(component, "paper_enter"),
        {**FORM, "author_name": "", "channel": "meeting", "author_email": participant.email.upper()},
    )
    assert response.status_code == 302
    idea = Proposal.objects.get()
    assert (idea.author, idea.channel, idea.author_name) == (participant, "meeting", "")
    assert [m.to for m in mail.outbox] == [[participant.email]]
    # A blocked member's account cannot be used: moderation applies to staff entries too.
    Membership.objects.filter(user=participant).update(blocked_at=timezone.now())
    response = client.post(
        url(component, "paper_enter"), {**FORM, "title": "Autre idée", "author_email": participant.email}
    )
    assert response.status_code == 400 and Proposal.objects.count() == 1


def test_posting_limits_do_not_block_staff(component, officer, participant, settings):
    settings.AGORA_POSTING_LIMITS = {"idea": [(1, 3600)]}
    configure(component, proposal_limit=1)
    for number in range(4):
        services.enter_idea(
            actor=officer,
            component=component,
            channel="paper",
            author=participant,
            title=f"Idée papier {number}",
            body="Une description assez longue pour passer.",
        )
    assert Proposal.objects.filter(author=participant, status="published").count() == 4


def test_staff_may_enter_ideas_after_the_filing_phase(component, officer):
    from .conftest import phase

    phase(component, creation_enabled=False)
    idea = services.enter_idea(
        actor=officer,
        component=component,
        channel="desk",
        author_name="Marcel P.",
        title="Un abri à vélos",
        body="Un abri à vélos couvert devant la gare.",
    )
    assert idea.channel == "desk"


@pytest.fixture
def evaluator(component):
    user = factories.UserFactory()
    factories.member_of(user, component.space.organization)
    Role.objects.create(
        user=user, organization=component.space.organization, space=component.space, name=Role.Name.EVALUATOR
    )
    return user


def test_people_without_the_right_are_refused_every_new_action(client, component, participant, evaluator, officer):
    paper_import.upload(actor=officer, component=component, data=_csv([FORM_ROW]), filename="a.csv")
    stored = IdeaImport.objects.get()
    urls = [
        url(component, "paper_enter"),
        url(component, "paper_import"),
        url(component, "paper_import_preview", ideaimport_id=stored.pk),
        url(component, "paper_template"),
    ]
    collaborator = factories.UserFactory()
    factories.member_of(collaborator, component.space.organization)
    Role.objects.create(
        user=collaborator, organization=component.space.organization, space=component.space, name=Role.Name.COLLABORATOR
    )
    for person in (participant, evaluator, collaborator):
        client.force_login(person)
        for target in urls:
            assert client.get(target).status_code == 403, (person, target)
            assert client.post(target, FORM).status_code == 403, (person, target)
        with pytest.raises(PermissionDenied):
            services.enter_idea(
                actor=person,
                component=component,
                channel="paper",
                author_name="X",
                title="Titre",
                body="Une description assez longue.",
            )
        with pytest.raises(PermissionDenied):
            paper_import.upload(actor=person, component=component, data=_csv([FORM_ROW]))
        with pytest.raises(PermissionDenied):
            paper_import.apply(actor=person, idea_import=stored)
    client.logout()
    for target in urls:
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Proposal.objects.exists()


# --- files -------------------------------------------------------------------------------------

FORM_ROW = {
    "title": "Des toilettes au parc",
    "body": "Des toilettes publiques au parc des Tilleuls, ouvertes en journée.",
    "author_name": "Ahmed C.",
    "channel": "réunion",
}


def _csv(rows, delimiter=";") -> bytes:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    columns = list(dict.fromkeys(key for row in rows for key in row))
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_with_a_preview_then_all_lines(client, component, officer, category, participant):
    custom = CustomFieldFactory(component=component, key="age", kind="number")
    # French column names, as a town hall's spreadsheet would have them.
    rows = [
        {
            "titre": FORM_ROW["title"],
            "description": FORM_ROW["body"],
            "nom": "Ahmed C.",
            "e-mail": "",
            "canal": "réunion",
            "catégorie": "",
            "age": "",
        },
        {
            "titre": "Un composteur",
            "description": "Un composteur partagé rue des Écoles, géré par les voisins.",
            "nom": "",
            "e-mail": participant.email,
            "canal": "",
            "catégorie": "ecologie",
            "age": "67",
        },
    ]
    client.force_login(officer)
    response = client.post(url(component, "paper_import"), {"file": _upload(_csv(rows), "formulaires.csv")})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200 and "Des toilettes au parc" in html and "Un composteur" in html
    assert "Ahmed C." in html and participant.public_name in html
    assert not Proposal.objects.exists()  # nothing before the confirmation
    done = client.post(response["Location"])
    assert done.status_code == 302
    toilets, compost = Proposal.objects.order_by("pk")
    assert (toilets.channel, toilets.author_name, toilets.author) == ("meeting", "Ahmed C.", None)
    assert (compost.channel, compost.author, compost.category) == ("paper", participant, category)
    assert compost.custom_values == {custom.key: 67}
    assert {toilets.status, compost.status} == {"published"}
    stored = IdeaImport.objects.get()
    assert stored.applied_rows == 2 and stored.applied_at
    rows_logged = ActionLog.objects.filter(verb="proposals.entered", data__import=stored.pk).count()
    assert rows_logged == 2 and ActionLog.objects.filter(verb="proposals.ideas_imported").exists()
    # Applied once: posting again imports nothing more.
    client.post(response["Location"])
    assert Proposal.objects.count() == 2


def _upload(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_an_xlsx_file_works_the_same(client, component, officer):
    client.force_login(officer)
    data = _xlsx(
        [{**FORM_ROW, "latitude": 47.9, "longitude": 1.9}, {**FORM_ROW, "title": "Autre idée", "channel": "guichet"}]
    )
    configure(component, geolocation_mode="optional")
    response = client.post(url(component, "paper_import"), {"file": _upload(data, "ideas.xlsx")})
    assert response.status_code == 302, response.content.decode()[-2000:]
    client.post(response["Location"])
    first, second = Proposal.objects.order_by("pk")
    assert str(first.latitude) == "47.900000" and second.channel == "desk"


def test_every_wrong_line_is_listed_and_nothing_is_created(client, component, officer, category):
    rows = [
        FORM_ROW,
        {**FORM_ROW, "title": "Sans nom", "author_name": ""},
        {**FORM_ROW, "title": "Canal inconnu", "channel": "pigeon"},
        {**FORM_ROW, "title": "Catégorie inconnue", "category": "Astronautique"},
        {**FORM_ROW},  # the same as line 2
        {**FORM_ROW, "title": "Trop court", "body": "Court"},
        {**FORM_ROW, "title": "Latitude", "latitude": "nord"},
    ]
    client.force_login(officer)
    response = client.post(url(component, "paper_import"), {"file": _upload(_csv(rows), "f.csv")})
    assert response.status_code == 400
    html = response.content.decode()
    for line in (3, 4, 5, 6, 7, 8):
        assert f"Line {line}</a>" in html, line
    assert "Line 2</a>" not in html
    assert "the same idea is on line 2" in html and "Astronautique" in html and "pigeon" in html
    assert not Proposal.objects.exists() and not IdeaImport.objects.exists()
    # Unknown columns and a foreign file are refused as a whole.
    response = client.post(
        url(component, "paper_import"), {"file": _upload(_csv([{**FORM_ROW, "password": "x"}]), "f.csv")}
    )
    assert response.status_code == 400 and "Unknown columns: password" in response.content.decode()
    response = client.post(
        url(component, "paper_import"), {"file": _upload(_csv([{**FORM_ROW, "titre": "Doublon"}]), "f.csv")}
    )
    assert response.status_code == 400 and "named twice" in response.content.decode()
    response = client.post(url(component, "paper_import"), {"file": _upload(b"PK\x03\x04broken", "f.xlsx")})
    assert response.status_code == 400 and "not a spreadsheet" in response.content.decode()
    response = client.post(url(component, "paper_import"), {"file": _upload(b"\xff\xfe\x00bad", "f.csv")})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()


def test_no_half_import_when_something_changed_since_the_preview(component, officer, category):
    rows = [FORM_ROW, {**FORM_ROW, "title": "Avec catégorie", "category": "Écologie"}]
    stored, plan = paper_import.upload(actor=officer, component=component, data=_csv(rows))
    assert len(plan) == 2
    category.delete()  # removed between the preview and the confirmation
    with pytest.raises(paper_import.IdeaImportError) as refused:
        paper_import.apply(actor=officer, idea_import=stored)
    assert refused.value.errors[0][0] == 3
    assert not Proposal.objects.exists()
    stored.refresh_from_db()
    assert stored.applied_at is None


def test_no_half_import_when_a_line_fails_while_writing(component, officer, monkeypatch):
    rows = [FORM_ROW, {**FORM_ROW, "title": "Deuxième"}, {**FORM_ROW, "title": "Troisième"}]
    stored, _plan = paper_import.upload(actor=officer, component=component, data=_csv(rows))
    original, calls = services._enter, []

    def fails_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_enter", fails_on_the_third)
    with pytest.raises(RuntimeError):
        paper_import.apply(actor=officer, idea_import=stored)
    assert not Proposal.objects.exists()


def test_formula_like_text_is_stored_as_typed_and_exported_as_text(component, officer):
    payload = '=HYPERLINK("http://evil.example/","clic")'
    stored, _plan = paper_import.upload(
        actor=officer, component=component, data=_csv([{**FORM_ROW, "title": payload, "author_name": "@Jeanne"}])
    )
    paper_import.apply(actor=officer, idea_import=stored)
    idea = Proposal.objects.get()
    assert idea.title == payload and idea.author_name == "@Jeanne"
    _headers, rows, _records = exports.export_rows(component, staff=False)
    assert "'" + payload in rows[0] and "'@Jeanne" in rows[0]
    workbook = openpyxl.load_workbook(io.BytesIO(exports.public_xlsx(component).content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'" + payload in values and payload not in values


def test_the_template_file_lists_the_columns(client, component, officer):
    CustomFieldFactory(component=component, key="ecole")
    client.force_login(officer)
    response = client.get(url(component, "paper_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["title", "body", "author_name"] and header[-1] == "ecole"


def test_channel_in_exports_and_statistics_hidden_ideas_left_out(component, officer, participant, client):
    from agora.moderation.services import hide_content

    from .factories import ProposalFactory

    ProposalFactory(component=component, author=participant)  # online
    paper = [
        services.enter_idea(
            actor=officer,
            component=component,
            channel="paper",
            author_name=f"P{n}",
            title=f"Papier {n}",
            body="Une description assez longue.",
        )
        for n in range(3)
    ]
    services.enter_idea(
        actor=officer,
        component=component,
        channel="meeting",
        author_name="R",
        title="Réunion",
        body="Une description assez longue.",
    )
    hide_content(actor=officer, obj=paper[0])
    stats = dict(hooks.stats(component))
    assert stats["Ideas filed online"] == 1 and stats["Ideas filed on a paper form"] == 2
    assert stats["Ideas given at a meeting"] == 1 and "Ideas filed at a desk" not in stats
    headers, rows, records = exports.export_rows(component, staff=False)
    assert "channel" in headers
    by_title = {record["title"]: record for record in records}
    assert by_title["Papier 1"]["channel"] == "paper" and by_title["Papier 1"]["author"] == "P1"
    assert "Papier 0" not in by_title  # hidden by moderation: not in public exports
    staff_headers, _rows, staff_records = exports.export_rows(component, staff=True)
    assert {record["channel"] for record in staff_records} == {"online", "paper", "meeting"}
    # Hidden on its page too, like any idea.
    assert "Une description assez longue" not in client.get(paper[0].get_absolute_url()).content.decode()


def test_staff_correct_an_entered_idea_the_participants_cannot(client, component, officer, participant):
    idea = services.enter_idea(
        actor=officer,
        component=component,
        channel="paper",
        author_name="Jeanne M.",
        title="Un banc",
        body="Un banc devant la poste, pour attendre assis.",
    )
    services.edit(
        actor=officer,
        proposal=idea,
        title="Un banc devant la poste",
        body="Un banc devant la poste, pour attendre assis.",
    )
    idea.refresh_from_db()
    assert idea.title == "Un banc devant la poste"
    with pytest.raises(PermissionDenied):
        services.edit(actor=participant, proposal=idea, title="Vandalisme", body="Une description assez longue.")
    services.withdraw(actor=officer, proposal=idea)
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=participant, proposal=idea)


def test_an_idea_filed_by_a_desk_agent_is_marked_desk(client, organization, component, org_admin):
    from agora.components.proposals import rules  # noqa: F401  (rules registered)
    from agora.desk import services as desk

    agent = factories.UserFactory()
    factories.member_of(agent, organization)
    desk.grant_agent(actor=org_admin, organization=organization, user=agent)
    person = desk.create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Odette L.",
        last_name="Lefèvre",
        first_name="Odette",
        birth_date=date(1950, 3, 12),
        accepted_terms=True,
    ).user
    client.force_login(agent)
    client.post(f"/admin/desk/people/{person.pk}/act/")
    response = client.post(
        reverse("proposals:create", kwargs=component.url_kwargs()),
        {"title": "Des bancs au cimetière", "body": "Des bancs à l'ombre dans les allées du cimetière."},
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    idea = Proposal.objects.get()
    assert (idea.author, idea.channel) == (person, "desk")
    services.publish(actor=person, proposal=idea)
    idea.refresh_from_db()
    assert idea.channel == "desk" and idea.status == "published"
