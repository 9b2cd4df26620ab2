"""Drawings of ideas in the public API (/api/v1/sortitions/idea-draws) and in the open data
(sortition_idea_draws, sortition_idea_draw_parties, sortition_drawn_ideas): what their public
page shows any visitor, a title hidden by moderation never, nothing of an unpublished
component or a private space; the API's filters and its structured refusals."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone

from agora.components.models import Component
from agora.components.sortitions import hooks, services
from agora.components.sortitions.models import IdeaDraw
from agora.core.files import public_storage
from agora.moderation.services import hide_content
from agora.opendata import services as opendata
from agora.opendata.models import OpenDataFile
from agora.sortition import draw as engine_draw
from agora.testing import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/sortitions/idea-draws"


def _draw_with_parties(admin, idea_draw):
    """Three parties commit; two reveal, the third is dropped; a public value too."""
    for name in ("Mairie", "Observateurs", "Opposition"):
        services.add_party(
            actor=admin, draw=idea_draw, name=name, commitment=engine_draw.commitment(name, f"{name}-secret")
        )
    for party in idea_draw.parties.exclude(name="Observateurs"):
        services.reveal(actor=admin, party=party, secret=f"{party.name}-secret")
    return services.perform_idea_draw(actor=admin, idea_draw=idea_draw, public_value="Loto 4 8 15")


def _items(client, **params):
    response = client.get(LIST, {"limit": 100, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()["items"]


def _open_data(organization) -> dict[str, str]:
    opendata.build(organization)
    found = OpenDataFile.objects.get(organization=organization, component__isnull=True)
    with public_storage().open(found.name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".csv")}


def _text(answer) -> str:
    """An answer's JSON with its characters as themselves (the API escapes non-ASCII ones)."""
    return json.dumps(answer, ensure_ascii=False)


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_an_anonymous_client_reads_the_drawing_as_its_page_shows_it(client, component, space_admin, drawing):
    services.add_party(
        actor=space_admin, draw=drawing, name="Mairie", commitment=engine_draw.commitment("Mairie", "Mairie-secret")
    )
    services.reveal(actor=space_admin, party=drawing.parties.get(), secret="Mairie-secret")
    [pending] = _items(client)
    # before the draw: the commitments, no secret (even one revealed), no public value nor seed
    assert pending["id"] == drawing.pk and pending["state"] == "published" and pending["drawn"] == []
    assert pending["parties"] == [
        {
            "party": "Mairie",
            "commitment": engine_draw.commitment("Mairie", "Mairie-secret"),
            "secret": None,
            "dropped": None,
        }
    ]
    assert pending["public_value"] is None and pending["seed_sha256"] is None
    assert "Mairie-secret" not in _text(client.get(LIST).json())
    done = services.perform_idea_draw(actor=space_admin, idea_draw=drawing, public_value="Loto 4 8 15")
    item = client.get(f"{LIST}/{drawing.pk}").json()
    assert item["state"] == "drawn" and item["public_value"] == "Loto 4 8 15"
    assert item["seed_sha256"] == done.record["seed_sha256"] and item["candidates_sha256"] == done.candidates_sha256
    assert item["parties"][0]["secret"] == "Mairie-secret" and item["parties"][0]["dropped"] is False
    from agora.components.proposals.models import Proposal

    titles = dict(Proposal.objects.filter(pk__in=[int(i) for i in done.drawn]).values_list("pk", "title"))
    assert [(d["id"], d["title"], d["hidden"]) for d in item["drawn"]] == [
        (int(i), titles[int(i)], False) for i in done.drawn
    ]
    assert item["component"] == {"id": component.pk, "type": "sortitions", "space": component.space.slug}
    assert item["ideas_component"] == drawing.source_id and item["candidates"] == 6 and item["count"] == 3
    assert client.get(item["url"]).status_code == 200
    bundle = client.get(item["bundle_url"])
    assert bundle.status_code == 200 and engine_draw.verify(bundle.json()) == ["draw 0 (ideas): OK, 3 of 6 ideas"]


def test_a_dropped_party_and_the_drawn_ideas_are_in_the_open_data(organization, component, space_admin, drawing):
    done = _draw_with_parties(space_admin, drawing)
    files = _open_data(organization)
    [row] = _rows(files["sortition_idea_draws.csv"])
    assert row["id"] == str(drawing.pk) and row["state"] == "drawn" and row["public_value"] == "Loto 4 8 15"
    assert row["parties"] == "3" and row["dropped_parties"] == "1" and row["drawn"] == " ".join(done.drawn)
    assert row["seed_sha256"] == done.record["seed_sha256"] and row["bundle_url"].endswith("/bundle.json")
    parties = {r["party"]: r for r in _rows(files["sortition_idea_draw_parties.csv"])}
    assert parties["Observateurs"]["dropped"] == "true" and parties["Observateurs"]["secret"] == ""
    assert parties["Mairie"]["dropped"] == "false" and parties["Mairie"]["secret"] == "Mairie-secret"
    drawn = _rows(files["sortition_drawn_ideas.csv"])
    assert [r["idea_id"] for r in drawn] == done.drawn and all(r["title"] and r["hidden"] == "false" for r in drawn)


def test_a_hidden_ideas_title_is_in_neither_the_api_nor_the_open_data(
    client, organization, component, space_admin, drawing, moderator
):
    from agora.components.proposals.models import Proposal

    done = _draw_with_parties(space_admin, drawing)
    hidden = Proposal.objects.get(pk=int(done.drawn[-1]))
    shown = Proposal.objects.get(pk=int(done.drawn[0]))
    hide_content(actor=moderator, obj=hidden)
    answer = client.get(LIST).json()
    assert hidden.title not in _text(answer) and shown.title in _text(answer)
    entry = next(d for d in answer["items"][0]["drawn"] if d["id"] == hidden.pk)
    assert entry == {"id": hidden.pk, "title": None, "hidden": True}
    assert hidden.title not in _text(client.get(f"{LIST}/{drawing.pk}").json())
    files = _open_data(organization)
    assert all(hidden.title not in text for text in files.values())
    drawn = {r["idea_id"]: r for r in _rows(files["sortition_drawn_ideas.csv"])}
    assert drawn[str(hidden.pk)]["hidden"] == "true" and drawn[str(hidden.pk)]["title"] == ""
    assert drawn[str(shown.pk)]["title"] == shown.title


@pytest.mark.parametrize("where", ["unpublished component", "later component", "private space", "unpublished space"])
def test_a_drawing_that_is_not_public_is_absent(client, organization, component, space_admin, drawing, where):
    _draw_with_parties(space_admin, drawing)
    space = component.space
    if where == "unpublished component":
        Component.objects.filter(pk=component.pk).update(published_at=None)
    elif where == "later component":
        Component.objects.filter(pk=component.pk).update(published_at=timezone.now() + datetime.timedelta(days=1))
    elif where == "private space":
        type(space).objects.filter(pk=space.pk).update(private=True)
    else:
        type(space).objects.filter(pk=space.pk).update(published_at=None)
    assert _items(client) == []
    missing = client.get(f"{LIST}/{drawing.pk}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    component.refresh_from_db()
    assert list(hooks.open_data_idea_draws(component)) == []
    assert list(hooks.open_data_idea_draw_parties(component)) == []
    assert list(hooks.open_data_drawn_ideas(component)) == []
    files = _open_data(organization)
    assert drawing.title not in "".join(files.values()) and "Mairie-secret" not in "".join(files.values())


def test_the_filters_of_every_list(client, organization, component, space_admin, drawing, source):
    done = _draw_with_parties(space_admin, drawing)
    other_space = factories.SpaceFactory(organization=organization, slug="ailleurs")
    elsewhere = factories.ComponentFactory(space=other_space, manifest_name="sortitions")
    ideas = factories.ComponentFactory(space=other_space, manifest_name="proposals")
    from agora.components.proposals.models import Proposal

    for i in range(3):
        Proposal.objects.create(
            component=ideas, official=True, title=f"Ailleurs {i}", body="…", status=Proposal.Status.PUBLISHED
        )
    admin = factories.RoleFactory(space=other_space, name="space_admin").user
    factories.member_of(admin, organization)
    waiting = services.create_idea_draw(actor=admin, component=elsewhere, title="Plus tard", source=ideas, count=1)
    IdeaDraw.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))

    def ids(**params):
        return [item["id"] for item in _items(client, **params)]

    assert ids() == sorted([done.pk, waiting.pk], reverse=True)
    assert ids(space=component.space.slug) == [done.pk] and ids(space="ailleurs") == [waiting.pk]
    assert ids(space="nowhere") == []
    assert ids(component=elsewhere.pk) == [waiting.pk] and ids(component=component.pk) == [done.pk]
    assert ids(state="drawn") == [done.pk] and ids(state="published") == [waiting.pk]
    today = timezone.localdate()
    assert ids(since=today.isoformat()) == [done.pk]
    assert ids(until=(today - datetime.timedelta(days=5)).isoformat()) == [waiting.pk]
    assert ids(since=(today + datetime.timedelta(days=1)).isoformat()) == []
    first = client.get(LIST, {"limit": 1}).json()  # newest first by id
    assert [i["id"] for i in first["items"]] == [waiting.pk] and first["next_cursor"]
    second = client.get(LIST, {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in second["items"]] == [done.pk] and second["next_cursor"] is None
    # a category or scope is checked (these resources have none of their own: they do not narrow)
    category = factories.CategoryFactory(organization=organization)
    assert ids(category=category.pk) == sorted([done.pk, waiting.pk], reverse=True)


@pytest.mark.parametrize(
    "params, status, field",
    [
        ({"state": "secret"}, 400, "state"),
        ({"since": "yesterday"}, 422, "since"),
        ({"until": "2026-13-40"}, 422, "until"),
        ({"limit": 0}, 422, "limit"),
        ({"limit": 101}, 422, "limit"),
        ({"component": "x"}, 422, "component"),
        ({"category": 999999}, 400, "category"),
        ({"scope": 999999}, 400, "scope"),
        ({"cursor": "not-a-cursor"}, 400, None),
    ],
)
def test_bad_input_is_a_structured_error(client, drawing, params, status, field):
    response = client.get(LIST, params)
    assert response.status_code == status, response.content[:300]
    error = response.json()["error"]
    assert error["code"] in ("invalid", "bad_cursor") and error["message"]
    if field:
        assert field in str(error["details"])
    assert client.get(f"{LIST}/abc").status_code in (404, 422)


def test_the_query_count_does_not_grow_with_the_page(client, component, space_admin, drawing, source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _draw_with_parties(space_admin, drawing)
    for n in range(4):
        extra = services.create_idea_draw(actor=space_admin, component=component, title=f"D{n}", source=source, count=2)
        services.perform_idea_draw(actor=space_admin, idea_draw=extra, public_value=f"v{n}")
    client.get(LIST, {"state": "published"})  # warm the memo of public components
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST, {"limit": 1}).json()["items"]) == 1
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(LIST, {"limit": 5}).json()["items"]) == 5
    assert len(five) == len(one)
