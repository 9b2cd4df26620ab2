"""The open data: only public content, one CSV per table with the columns its
README describes, the pabulib files of published counts, the licence, the pages
and who may change what."""

import csv
import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.comments.services import create_comment, delete_comment
from agora.components.budgets.models import BallotRecord
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.proposals.models import Proposal
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.components.registry import registry
from agora.core.files import public_storage
from agora.moderation.services import hide_content
from agora.opendata import services
from agora.opendata.models import Licence, OpenDataFile, OpenDataSettings
from agora.opendata.writer import PLACE_COLUMNS
from agora.spaces.models import Role
from agora.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(organization, org_admin, participant):
    """A public process with ideas (published, draft, hidden) and comments (kept, hidden,
    deleted); a private space, an unpublished space and an unpublished component with ideas
    of their own; a published budget with its open record."""
    organization.available_languages = ["fr", "en"]
    organization.save()
    space = factories.SpaceFactory(organization=organization, slug="budget-2026")
    factories.PhaseFactory(space=space, is_active=True)
    ideas = ProposalsComponentFactory(space=space)
    kept = ProposalFactory(component=ideas, title="Des arbres rue Jaurès", author=participant)
    formula = ProposalFactory(component=ideas, title='=HYPERLINK("http://evil.example","x")', author=participant)
    draft = ProposalFactory(
        component=ideas, title="Brouillon secret", status=Proposal.Status.DRAFT, published_at=None, author=participant
    )
    hidden = ProposalFactory(component=ideas, title="Idée masquée", author=participant)
    comment = create_comment(actor=participant, target=kept, body="Excellente idée")
    hidden_comment = create_comment(actor=participant, target=kept, body="Commentaire masqué")
    deleted = create_comment(actor=participant, target=kept, body="Commentaire supprimé")
    on_hidden = create_comment(actor=participant, target=hidden, body="Sur une idée masquée")
    delete_comment(actor=participant, comment=deleted)
    hide_content(actor=org_admin, obj=hidden_comment)
    hide_content(actor=org_admin, obj=hidden)

    private = factories.SpaceFactory(organization=organization, slug="prive", private=True)
    ProposalFactory(component=ProposalsComponentFactory(space=private), title="Idée d'un espace privé")
    unpublished = factories.SpaceFactory(organization=organization, slug="pas-encore", published_at=None)
    ProposalFactory(component=ProposalsComponentFactory(space=unpublished), title="Idée d'un espace non publié")
    closed = ProposalsComponentFactory(space=space, published_at=None)
    ProposalFactory(component=closed, title="Idée d'un composant non publié")

    budgets = factories.ComponentFactory(space=space, manifest_name="budgets", name={"fr": "Budget"})
    budget = BudgetFactory(component=budgets, envelope=100_000, results_published_at=timezone.now())
    ProjectFactory(budget=budget, cost=50_000, title={"fr": "Un jardin", "en": "A garden"})
    BallotRecord.objects.create(budget=budget, pb_text="META\nkey;value\nnum_votes;0\n", sha256="0" * 64, ballots=0)
    unpublished_budget = BudgetFactory(component=budgets, envelope=50_000)
    BallotRecord.objects.create(budget=unpublished_budget, pb_text="META\nsecret;1\n", sha256="1" * 64)
    return {
        "space": space,
        "ideas": ideas,
        "kept": kept,
        "formula": formula,
        "draft": draft,
        "hidden": hidden,
        "comment": comment,
        "on_hidden": on_hidden,
        "budgets": budgets,
        "budget": budget,
        "closed": closed,
    }


def _zip(file: OpenDataFile) -> zipfile.ZipFile:
    with public_storage().open(file.name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))


def _whole(organization) -> zipfile.ZipFile:
    return _zip(OpenDataFile.objects.get(organization=organization, component__isnull=True))


def test_only_public_content_leaves(organization, city):
    services.build(organization)
    archive = _whole(organization)
    text = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    for secret in (
        "Brouillon secret",
        "Idée masquée",
        "Commentaire masqué",
        "Commentaire supprimé",
        "Sur une idée masquée",
        "espace privé",
        "espace non publié",
        "composant non publié",
        "secret;1",
    ):
        assert secret not in text, secret
    ideas = _csv(archive, "ideas.csv")
    assert sorted(int(row["id"]) for row in ideas) == sorted([city["kept"].pk, city["formula"].pk])
    assert {row["space"] for row in ideas} == {"budget-2026"}
    assert {row["component_id"] for row in ideas} == {str(city["ideas"].pk)}
    comments = _csv(archive, "comments.csv")
    assert [(row["id"], row["resource"], row["resource_id"]) for row in comments] == [
        (str(city["comment"].pk), "ideas", str(city["kept"].pk))
    ]
    assert [row["slug"] for row in _csv(archive, "spaces.csv")] == ["budget-2026"]
    # One column per language for translated values.
    projects = _csv(archive, "projects.csv")
    assert [(row["title_fr"], row["title_en"]) for row in projects] == [("Un jardin", "A garden")]
    # The open record of the published count, nothing of the other budget.
    pb = f"budgets/{city['budgets'].pk}/budget-{city['budget'].pk}.pb"
    assert archive.read(pb).decode() == "META\nkey;value\nnum_votes;0\n"
    assert [name for name in archive.namelist() if name.endswith(".pb")] == [pb]


def test_every_csv_has_the_columns_its_readme_describes(organization, city):
    services.build(organization)
    for file in OpenDataFile.objects.filter(organization=organization):
        archive = _zip(file)
        readme = archive.read("README.md").decode("utf-8")
        sections = dict(re.findall(r"^## (\S+\.csv)\n(.*?)(?=^## |\Z)", readme, flags=re.M | re.S))
        found = [name for name in archive.namelist() if name.endswith(".csv")]
        assert found and set(sections) == set(found), file.name
        for name in found:
            header = next(csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
            described = re.findall(r"^\| `([^`]+)` \|", sections[name], flags=re.M)
            assert header == described, name
            assert len(header) == len(set(header)), name


def test_every_table_of_every_manifest_has_its_csv(organization, city):
    services.build(organization)
    names = set(_whole(organization).namelist())
    tables = {f"{table.name}.csv" for manifest in registry.all() for table in manifest.open_data}
    assert len(tables) >= 12
    assert tables | {"spaces.csv", "comments.csv", "README.md", "LICENCE.txt"} <= names


def test_a_formula_is_written_as_text(organization, city):
    services.build(organization)
    titles = [row["title"] for row in _csv(_whole(organization), "ideas.csv")]
    assert '\'=HYPERLINK("http://evil.example","x")' in titles
    assert not any(title.startswith("=") for title in titles)


def test_each_public_component_has_its_own_zip(organization, city):
    services.build(organization)
    files = {file.component_id: file for file in OpenDataFile.objects.filter(organization=organization)}
    assert set(files) == {None, city["ideas"].pk, city["budgets"].pk}
    own = _zip(files[city["ideas"].pk])
    assert sorted(int(row["id"]) for row in _csv(own, "ideas.csv")) == sorted([city["kept"].pk, city["formula"].pk])
    assert "projects.csv" not in own.namelist() and "spaces.csv" not in own.namelist()
    assert files[city["ideas"].pk].rows["ideas"] == 2


def test_the_licence_chosen_is_in_the_files(organization, city, org_admin):
    services.set_licence(actor=org_admin, organization=organization, licence=Licence.ODBL)
    services.build(organization)
    archive = _whole(organization)
    assert archive.read("LICENCE.txt").decode().startswith("Open Database License (ODbL) 1.0\n")
    assert "opendatacommons.org/licenses/odbl" in archive.read("README.md").decode()


def test_a_new_build_replaces_the_files_and_drops_a_component_no_longer_public(
    organization, city, django_capture_on_commit_callbacks
):
    services.build(organization)
    before = OpenDataFile.objects.get(organization=organization, component__isnull=True).name
    city["budgets"].published_at = None
    city["budgets"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.build(organization)
    assert set(OpenDataFile.objects.filter(organization=organization).values_list("component_id", flat=True)) == {
        None,
        city["ideas"].pk,
    }
    assert not public_storage().exists(before)


def test_the_command_builds_now_or_queues(organization, city):
    out = io.StringIO()
    call_command("build_open_data", "--now", stdout=out)
    assert "testserver: 3 file(s) built" in out.getvalue()
    OpenDataFile.objects.all().delete()
    call_command("build_open_data", stdout=io.StringIO())  # the immediate task backend runs it at once
    assert OpenDataFile.objects.filter(organization=organization).count() == 3


def test_the_public_page_offers_the_files(client, organization, city):
    assert "pas encore été construites" in client.get(reverse("opendata:index")).content.decode()
    services.build(organization)
    page = client.get(reverse("opendata:index")).content.decode()
    assert reverse("opendata:download") in page
    assert reverse("opendata:component_download", args=[city["ideas"].pk]) in page
    assert "Licence Ouverte" in page
    response = client.get(reverse("opendata:download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert client.get(reverse("opendata:component_download", args=[city["ideas"].pk])).status_code == 200


def test_another_organizations_files_are_not_found(client, organization, other_organization, city):
    services.build(organization)
    other = factories.SpaceFactory(organization=other_organization)
    component = ProposalsComponentFactory(space=other)
    services.build(other_organization)
    assert client.get(reverse("opendata:component_download", args=[component.pk])).status_code == 404
    assert client.get(reverse("opendata:component_download", args=[city["closed"].pk])).status_code == 404


def test_an_administrator_sets_the_licence_and_asks_for_a_build(client, organization, org_admin, city):
    client.force_login(org_admin)
    url = reverse("opendata_admin:index")
    assert client.get(url).status_code == 200
    response = client.post(url, {"licence": Licence.ODBL})
    assert response.status_code == 302
    assert OpenDataSettings.objects.get(organization=organization).licence == Licence.ODBL
    assert ActionLog.objects.filter(verb="opendata.licence_set", actor=org_admin).exists()
    assert client.post(url, {"licence": "cc-by"}).status_code == 400
    assert OpenDataSettings.objects.get(organization=organization).licence == Licence.ODBL
    assert client.post(reverse("opendata_admin:build")).status_code == 302
    assert OpenDataFile.objects.filter(organization=organization).count() == 3


@pytest.mark.parametrize("who", ["anonymous", "participant", "space_admin"])
def test_others_may_not_change_the_licence_nor_build(client, organization, city, participant, who):
    if who == "participant":
        client.force_login(participant)
    elif who == "space_admin":
        admin = factories.UserFactory()
        factories.member_of(admin, organization)
        Role.objects.create(user=admin, organization=organization, space=city["space"], name=Role.Name.SPACE_ADMIN)
        client.force_login(admin)
    for url in (reverse("opendata_admin:index"), reverse("opendata_admin:build")):
        response = client.post(url, {"licence": Licence.ODBL})
        if who == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 403
    assert not OpenDataSettings.objects.exists()
    assert not OpenDataFile.objects.exists()
    assert not ActionLog.objects.filter(verb__startswith="opendata.").exists()


def test_the_milestones_of_public_results_have_their_file(organization, city):
    from agora.components.accountability.tests.factories import MilestoneFactory, ResultFactory

    follow_up = factories.ComponentFactory(space=city["space"], manifest_name="accountability")
    result = ResultFactory(component=follow_up)
    milestone = MilestoneFactory(
        result=result,
        title={"fr": "Début des travaux", "en": "Works start"},
        description={"fr": "<p>Le chantier ouvre.</p>"},
    )
    unpublished = factories.ComponentFactory(space=city["space"], manifest_name="accountability", published_at=None)
    MilestoneFactory(result=ResultFactory(component=unpublished), title={"fr": "Étape d'un suivi non publié"})
    private = factories.SpaceFactory(organization=organization, slug="suivi-prive", private=True)
    hidden_space = factories.ComponentFactory(space=private, manifest_name="accountability")
    MilestoneFactory(result=ResultFactory(component=hidden_space), title={"fr": "Étape d'un espace privé"})
    services.build(organization)
    archive = _whole(organization)
    rows = _csv(archive, "milestones.csv")
    assert [
        (row["id"], row["result_id"], row["date"], row["title_fr"], row["title_en"], row["component_id"])
        for row in rows
    ] == [
        (
            str(milestone.pk),
            str(result.pk),
            milestone.date.isoformat(),
            "Début des travaux",
            "Works start",
            str(follow_up.pk),
        )
    ]
    assert rows[0]["description_fr"] == "<p>Le chantier ouvre.</p>"
    assert rows[0]["url"] == result.get_absolute_url()
    assert "result_id" in archive.read("README.md").decode("utf-8")
    assert set(rows[0]) == {*(c for c, _m in PLACE_COLUMNS), "id", "result_id", "date", "title_fr", "title_en"} | {
        "description_fr",
        "description_en",
        "url",
    }
