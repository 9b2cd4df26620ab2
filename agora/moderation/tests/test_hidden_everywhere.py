"""Content hidden by moderation is hidden on every read path.

READ_PATHS below lists every way the public (or a participant) reads ideas
and comments: pages, list, map, search, exports, embed, similar ideas,
profiles, notifications, and the components that link ideas (follow-up
results, budget projects). The walk reads each path before and after a
moderator hides the content: the marker is there before (so the path really
shows the content) and gone after. A new read path of reportable content
belongs in this list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.actionlog.services import log_action
from agora.comments import services as comments
from agora.components.accountability.tests.factories import ResultFactory
from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
from agora.components.news.tests.factories import PostFactory
from agora.components.proposals.evaluation import exports
from agora.components.proposals.models import Attachment, Proposal
from agora.components.proposals.tests.factories import (
    CustomFieldFactory,
    ProposalFactory,
    ProposalsComponentFactory,
)
from agora.components.proposals.text import search_text
from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.moderation import registry, services
from agora.notifications.services import notify
from agora.testing import factories

from .conftest import make_participant

SECRET = "Zorglubine"
HIDDEN_NOTICE = 'class="moderation-hidden"'


@pytest.fixture(autouse=True)
def _english(client, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.AGORA_POSTING_LIMITS = {}


@pytest.fixture
def world(process, moderator):
    """A public idea full of the marker (title, body, address, custom field,
    attachment), linked from a follow-up result and a budget project, a
    comment with the marker on another idea and one on a news post."""
    organization = process.organization
    ideas = ProposalsComponentFactory(space=process)
    CustomFieldFactory(component=ideas, key="why")
    author = make_participant(organization)
    idea = ProposalFactory(
        component=ideas,
        author=author,
        title=f"{SECRET} potager partagé",
        body=f"Corps {SECRET} du potager",
        address=f"12 rue {SECRET}",
        latitude=48.85,
        longitude=2.35,
        custom_values={"why": f"Parce que {SECRET}"},
        search_text=search_text(f"{SECRET} potager partagé", f"Corps {SECRET} du potager"),
    )
    Attachment.objects.create(
        proposal=idea,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        title=f"Plan {SECRET}",
        kind=Attachment.Kind.DOCUMENT,
        content_type="application/pdf",
        size=13,
    )
    stored = images.clean_image(io.BytesIO(photo_bytes()))
    picture = Attachment.objects.create(
        proposal=idea,
        file=stored,
        title="photo.jpg",
        kind=Attachment.Kind.IMAGE,
        content_type="image/jpeg",
        size=stored.size,
        alt_text=f"Le potager {SECRET} au printemps",
        weight=1,
    )
    picture.variants = images.make_variants(picture.file.storage, picture.file.name)
    picture.save(update_fields=["variants"])
    log_action(
        actor=author,
        verb="proposals.published",
        target=idea,
        organization=organization,
        space=process,
        component=ideas,
        visibility=ActionLog.Visibility.PUBLIC,
    )
    follower = make_participant(organization)
    notify(
        event="proposals.new_idea",
        recipients=[follower],
        actor=author,
        target=idea,
        organization=organization,
        space=process,
    )
    # Another participant drafts a similar idea: the preview lists similar ones.
    drafter = make_participant(organization)
    draft = ProposalFactory(
        component=ideas,
        author=drafter,
        title="potager partagé",
        body="Un potager.",
        status=Proposal.Status.DRAFT,
        published_at=None,
        search_text=search_text("potager partagé", "Un potager."),
    )
    result = ResultFactory(component=factories.ComponentFactory(space=process, manifest_name="accountability"))
    result.proposals.add(idea)
    budgets = factories.ComponentFactory(space=process, manifest_name="budgets", name={"fr": "Budget"})
    project = ProjectFactory(budget=BudgetFactory(component=budgets), title={"fr": "Projet", "en": "Project"})
    project.proposals.add(idea)

    open_idea = ProposalFactory(component=ideas, author=author, title="Une idée ouverte")
    commenter = make_participant(organization)
    comment = comments.create_comment(actor=commenter, target=open_idea, body=f"Commentaire {SECRET} ici")
    news = PostFactory(component=factories.ComponentFactory(space=process, manifest_name="news"))
    news_comment = comments.create_comment(
        actor=make_participant(organization), target=news, body=f"Sur l'actualité {SECRET}"
    )
    return {
        "organization": organization,
        "moderator": moderator,
        "ideas": ideas,
        "idea": idea,
        "author": author,
        "follower": follower,
        "drafter": drafter,
        "draft": draft,
        "result": result,
        "project": project,
        "open_idea": open_idea,
        "commenter": commenter,
        "comment": comment,
        "news": news,
        "news_comment": news_comment,
        "picture": picture,
    }


def _served(client, url) -> str:
    """A file read by the public: the marker when it is served (a picture has no text to look for)."""
    client.logout()
    return SECRET if client.get(url).status_code == 200 else ""


def _page(client, url, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)


def _idea_drawing(world):
    """A drawing by lot (sortitions component) that drew every idea of the world, once."""
    if "idea_draw" not in world:
        from agora.components.proposals import api as ideas_api
        from agora.components.sortitions import services as sortitions
        from agora.spaces.models import Role

        space = world["ideas"].space
        component = factories.ComponentFactory(space=space, manifest_name="sortitions")
        officer = factories.RoleFactory(space=space, name=Role.Name.SPACE_ADMIN).user
        factories.member_of(officer, world["organization"])
        drawing = sortitions.create_idea_draw(
            actor=officer,
            component=component,
            title="Ordre des visites",
            source=world["ideas"],
            count=ideas_api.ideas_to_draw(component=world["ideas"]).count(),
        )
        world["idea_draw"] = sortitions.perform_idea_draw(actor=officer, idea_draw=drawing, public_value="Loto 1 2 3")
    return world["idea_draw"]


def _idea_drawing_open_data(world):
    """Every row of the drawing's component's open-data tables."""
    component = _idea_drawing(world).component
    manifest = component.manifest
    return [list(manifest.hook(table.rows)(component)) for table in manifest.open_data]


def _idea_drawing_url(world, name):
    drawing = _idea_drawing(world)
    space = drawing.component.space
    return reverse(
        f"sortitions:{name}",
        kwargs={
            "space_kind": space.url_prefix,
            "space_slug": space.slug,
            "component_id": drawing.component_id,
            "idea_draw_id": drawing.pk,
        },
    )


# Every read path: name -> (what is hidden, function(client, world) -> text read).
READ_PATHS = {
    "idea page": ("idea", lambda c, w: _page(c, w["idea"].get_absolute_url())),
    "idea page, logged in": ("idea", lambda c, w: _page(c, w["idea"].get_absolute_url(), w["follower"])),
    "idea list": ("idea", lambda c, w: _page(c, w["ideas"].get_absolute_url())),
    "idea list, all statuses": ("idea", lambda c, w: _page(c, w["ideas"].get_absolute_url() + "?status=all")),
    "idea list, search filter": ("idea", lambda c, w: _page(c, w["ideas"].get_absolute_url() + "?q=potager")),
    "idea list, the author's own": (
        "idea",
        lambda c, w: _page(c, w["ideas"].get_absolute_url() + "?mine=on", w["author"]),
    ),
    "map": ("idea", lambda c, w: _page(c, w["ideas"].get_absolute_url() + "map/")),
    "an idea's picture": ("idea", lambda c, w: _served(c, w["picture"].get_absolute_url())),
    "a copy of an idea's picture (cards, gallery)": (
        "idea",
        lambda c, w: _served(c, f"{w['picture'].get_absolute_url()}{w['picture'].variants['sizes'][0][0]}/"),
    ),
    "embed": ("idea", lambda c, w: c.get(w["idea"].get_absolute_url() + "embed/").content.decode()),
    "similar ideas on a draft's preview": (
        "idea",
        lambda c, w: _page(c, w["draft"].get_absolute_url() + "preview/", w["drafter"]),
    ),
    "site search": ("idea", lambda c, w: _page(c, f"{reverse('search')}?q=potager")),
    "search hook": ("idea", lambda c, w: repr(w["ideas"].manifest.hook(w["ideas"].manifest.search)(w["ideas"]))),
    "open-data CSV": ("idea", lambda c, w: exports.public_csv(w["ideas"]).content.decode()),
    "open-data JSON": ("idea", lambda c, w: exports.public_json(w["ideas"]).content.decode()),
    "open-data XLSX": ("idea", lambda c, w: _xlsx_text(exports.public_xlsx(w["ideas"]).content)),
    "author's profile": ("idea", lambda c, w: _page(c, reverse("accounts:profile", args=[w["author"].nickname]))),
    "follower's notifications": ("idea", lambda c, w: _page(c, reverse("notifications:list"), w["follower"])),
    "follow-up result": ("idea", lambda c, w: _page(c, w["result"].get_absolute_url())),
    "budget project": (
        "idea",
        lambda c, w: _page(
            c,
            reverse(
                "budgets:project",
                kwargs={
                    **w["project"].component.url_kwargs(),
                    "budget_id": w["project"].budget_id,
                    "project_id": w["project"].pk,
                },
            ),
        ),
    ),
    "ideas drawn by lot": ("idea", lambda c, w: _page(c, _idea_drawing_url(w, "idea_draw"))),
    "ideas drawn by lot, the verification bundle": (
        "idea",
        lambda c, w: c.get(_idea_drawing_url(w, "idea_bundle")).content.decode(),
    ),
    "ideas drawn by lot, public API": (
        "idea",
        lambda c, w: (
            c.get("/api/v1/sortitions/idea-draws").content.decode()
            + c.get(f"/api/v1/sortitions/idea-draws/{_idea_drawing(w).pk}").content.decode()
        ),
    ),
    "ideas drawn by lot, open data": ("idea", lambda c, w: repr(_idea_drawing_open_data(w))),
    "comment on an idea page": ("comment", lambda c, w: _page(c, w["open_idea"].get_absolute_url())),
    "comment thread fragment": (
        "comment",
        lambda c, w: _page(
            c, reverse("comments:thread", kwargs={"model_label": "proposals.proposal", "object_id": w["open_idea"].pk})
        ),
    ),
    "commenter's profile": (
        "comment",
        lambda c, w: _page(c, reverse("accounts:profile", args=[w["commenter"].nickname])),
    ),
    "comment on a news post": ("news_comment", lambda c, w: _page(c, w["news"].get_absolute_url())),
}


@pytest.mark.parametrize("path", READ_PATHS)
def test_hidden_content_is_hidden_on_every_read_path(client, world, path):
    hidden, read = READ_PATHS[path]
    assert SECRET in read(client, world), "the path does not show the content at all: the walk proves nothing"
    services.hide_content(actor=world["moderator"], obj=world[hidden])
    text = read(client, world)
    assert SECRET not in text


def test_a_hidden_idea_page_says_so_and_shows_nothing_of_it(client, world):
    idea = world["idea"]
    services.hide_content(actor=world["moderator"], obj=idea)
    html = _page(client, idea.get_absolute_url())
    assert HIDDEN_NOTICE in html
    for attachment in idea.attachments.all():
        link = f"{idea.get_absolute_url()}attachments/{attachment.pk}/"
        assert link not in html
        assert client.get(link).status_code == 404  # the file is not served either (agora.core.files)
    assert "12 rue" not in html and "48.85" not in html
    assert client.get(idea.get_absolute_url() + "embed/").status_code == 404


def test_staff_exports_keep_hidden_ideas_flagged(world):
    services.hide_content(actor=world["moderator"], obj=world["idea"])
    headers, _rows, records = exports.export_rows(world["ideas"], staff=True)
    record = next(r for r in records if r["id"] == world["idea"].pk)
    assert record["hidden_by_moderation (confidential)"] is True
    assert all(r["hidden_by_moderation (confidential)"] is False for r in records if r["id"] != world["idea"].pk)
    _headers, _rows, public = exports.export_rows(world["ideas"], staff=False)
    assert world["idea"].pk not in {r["id"] for r in public}


def test_every_reportable_model_reads_through_the_moderated_queryset():
    """`.visible()` exists on every reportable model's manager: a new
    reportable resource without it would have no way to hide its content."""
    from agora.comments.models import Comment

    models = registry.reportable_models()
    assert Proposal in models and Comment in models
    for model in models:
        if model.__module__.startswith("agora.components.news"):
            continue  # made reportable by this test package only
        assert hasattr(model._default_manager, "visible"), model
        assert hasattr(model._default_manager, "with_hidden_flag"), model


def test_visible_excludes_only_hidden_rows(world):
    services.hide_content(actor=world["moderator"], obj=world["idea"])
    ids = set(Proposal.objects.filter(component=world["ideas"]).visible().values_list("pk", flat=True))
    assert world["idea"].pk not in ids and world["open_idea"].pk in ids
    flagged = dict(Proposal.objects.filter(component=world["ideas"]).with_hidden_flag().values_list("pk", "is_hidden"))
    assert flagged[world["idea"].pk] is True and flagged[world["open_idea"].pk] is False
