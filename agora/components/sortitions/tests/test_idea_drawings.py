"""Drawings of ideas: the commit–reveal of panel draws (commitments, reveals, a party that
does not reveal is dropped and that is published) and titles hidden by moderation since the
candidates were frozen, gone from every read while the bundle still checks."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agora.components.sortitions import services
from agora.components.sortitions.models import IdeaDraw, Party
from agora.components.sortitions.tests.test_views import ready  # noqa: F401 (a panel draw with a party)
from agora.moderation.services import hide_content
from agora.permissions import PermissionDenied
from agora.sortition import draw as engine_draw
from agora.spaces.models import Role
from agora.testing import factories


def admin_url(component, name, **kwargs):
    return reverse(
        f"sortitions_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def public_url(component, name, **kwargs):
    space = component.space
    return reverse(
        f"sortitions:{name}",
        kwargs={"space_kind": space.url_prefix, "space_slug": space.slug, "component_id": component.pk, **kwargs},
    )


def test_the_parties_commit_reveal_and_one_that_does_not_is_dropped(client, component, space_admin, drawing):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    page_url = admin_url(component, "idea_draw", idea_draw_id=drawing.pk)
    page = client.get(page_url).content.decode()
    assert "Commit–reveal" in page and admin_url(component, "idea_commit", idea_draw_id=drawing.pk) in page
    commit = admin_url(component, "idea_commit", idea_draw_id=drawing.pk)
    bad = client.post(commit, {"name": "Mairie", "commitment": "zz"})
    assert bad.status_code == 400 and "64 hexadecimal characters" in bad.content.decode()
    for name in ("Mairie", "Opposition", "Observateurs"):
        response = client.post(commit, {"name": name, "commitment": engine_draw.commitment(name, f"{name}-secret")})
        assert response.status_code == 302
    assert client.post(commit, {"name": "Mairie", "commitment": "a" * 64}).status_code == 400
    # before the draw the public page and the pending bundle publish the commitments, not the secrets
    pending = json.loads(client.get(public_url(component, "idea_bundle", idea_draw_id=drawing.pk)).content)
    assert [p["party"] for p in pending["parties"]] == ["Mairie", "Observateurs", "Opposition"]
    assert "secret" not in json.dumps(pending["parties"])
    parties = {p.name: p for p in drawing.parties.all()}
    reveal = {
        name: admin_url(component, "idea_reveal", idea_draw_id=drawing.pk, party_id=p.pk) for name, p in parties.items()
    }
    wrong = client.post(reveal["Mairie"], {"secret": "not it"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    assert client.post(reveal["Mairie"], {"secret": "Mairie-secret"}).status_code == 302
    assert client.post(reveal["Opposition"], {"secret": "Opposition-secret"}).status_code == 302
    # nobody may commit once a secret is known
    late = client.post(commit, {"name": "Retardataire", "commitment": engine_draw.commitment("Retardataire", "x")})
    assert late.status_code in (302, 400) and not drawing.parties.filter(name="Retardataire").exists()
    assert "Commitments are closed" in client.get(page_url).content.decode()
    # the revealed secrets suffice to make the seed: no public value needed
    assert client.post(page_url, {"public_value": ""}).status_code == 302
    drawing.refresh_from_db()
    assert drawing.drawn_at is not None and len(drawing.drawn) == 3
    assert [(p["party"], p["dropped"]) for p in drawing.record["parties"]] == [
        ("Mairie", False),
        ("Observateurs", True),
        ("Opposition", False),
    ]
    # too late to reveal or commit: the ideas are drawn
    assert client.post(reveal["Observateurs"], {"secret": "Observateurs-secret"}).status_code == 400
    assert Party.objects.get(pk=parties["Observateurs"].pk).secret is None
    client.logout()
    client.cookies["agora_language"] = "en"
    public = client.get(public_url(component, "idea_draw", idea_draw_id=drawing.pk)).content.decode()
    assert parties["Observateurs"].commitment in public and "did not reveal: dropped" in public
    bundle = json.loads(client.get(public_url(component, "idea_bundle", idea_draw_id=drawing.pk)).content)
    assert engine_draw.verify(bundle) == ["draw 0 (ideas): OK, 3 of 6 ideas"]
    forged = json.loads(json.dumps(bundle))
    forged["draws"][0]["parties"][0]["secret"] = "forged"
    with pytest.raises(engine_draw.VerificationError):
        engine_draw.verify(forged)


def test_the_seed_needs_a_revealed_secret_or_a_public_value(space_admin, drawing):
    services.add_party(actor=space_admin, draw=drawing, name="Mairie", commitment=engine_draw.commitment("Mairie", "s"))
    with pytest.raises(ValidationError):
        services.perform_idea_draw(actor=space_admin, idea_draw=drawing, public_value=" ")
    drawing.refresh_from_db()
    assert drawing.drawn_at is None
    done = services.perform_idea_draw(actor=space_admin, idea_draw=drawing, public_value="Loto 1 2 3")
    assert done.record["parties"][0]["dropped"] is True and done.public_value == "Loto 1 2 3"


@pytest.mark.parametrize("who", ["anonymous", "participant", "moderator", "other_space_admin"])
def test_people_without_the_right_cannot_commit_reveal_or_draw(
    client, component, space_admin, drawing, organization, who
):
    party = services.add_party(
        actor=space_admin, draw=drawing, name="Mairie", commitment=engine_draw.commitment("Mairie", "s")
    )
    if who != "anonymous":
        if who == "participant":
            user = factories.UserFactory()
        else:
            space = factories.SpaceFactory(organization=organization) if who == "other_space_admin" else component.space
            name = Role.Name.SPACE_ADMIN if who == "other_space_admin" else Role.Name.MODERATOR
            user = factories.RoleFactory(space=space, name=name).user
        factories.member_of(user, organization)
        client.force_login(user)
        with pytest.raises(PermissionDenied):
            services.add_party(actor=user, draw=drawing, name="Intrus", commitment="a" * 64)
        with pytest.raises(PermissionDenied):
            services.reveal(actor=user, party=party, secret="s")
        with pytest.raises(PermissionDenied):
            services.perform_idea_draw(actor=user, idea_draw=drawing, public_value="mine")
    targets = [
        (admin_url(component, "idea_draw", idea_draw_id=drawing.pk), {"public_value": "mine"}),
        (admin_url(component, "idea_commit", idea_draw_id=drawing.pk), {"name": "Intrus", "commitment": "a" * 64}),
        (admin_url(component, "idea_reveal", idea_draw_id=drawing.pk, party_id=party.pk), {"secret": "s"}),
    ]
    for target, data in targets:
        response = client.post(target, data)
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], target
        else:
            assert response.status_code == 403, (who, target)
    drawing.refresh_from_db()
    party.refresh_from_db()
    assert drawing.drawn_at is None and party.secret is None and drawing.parties.count() == 1


def test_a_panel_party_is_not_revealed_through_a_drawing_of_ideas(
    client,
    component,
    space_admin,
    drawing,
    ready,  # noqa: F811
):
    _sortition, draw, panel_party = ready
    client.force_login(space_admin)
    target = admin_url(component, "idea_reveal", idea_draw_id=drawing.pk, party_id=panel_party.pk)
    assert client.post(target, {"secret": "s"}).status_code == 404
    # and the panel's commit–reveal works as before, from the shared partial
    page = client.get(admin_url(component, "draw", draw_id=draw.pk)).content.decode()
    assert admin_url(component, "reveal", draw_id=draw.pk, party_id=panel_party.pk) in page


def test_an_idea_hidden_by_moderation_leaves_every_read_and_the_bundle_still_checks(
    client, component, space_admin, drawing, moderator
):
    from agora.components.proposals.models import Proposal

    # hidden before the draw: the pending bundle leaves its title out too
    candidates = [entry[0] for entry in drawing.candidates["candidates"]]
    early = Proposal.objects.get(pk=int(candidates[0]))
    hide_content(actor=moderator, obj=early)
    pending = client.get(public_url(component, "idea_bundle", idea_draw_id=drawing.pk)).content.decode()
    assert early.title not in pending and '"hidden": true' in pending
    done = services.perform_idea_draw(actor=space_admin, idea_draw=drawing, public_value="Loto 4 8 15")
    hidden = Proposal.objects.get(pk=int(done.drawn[0]))
    shown = [Proposal.objects.get(pk=int(identifier)) for identifier in done.drawn[1:]]
    if hidden.pk != early.pk:
        hide_content(actor=moderator, obj=hidden)
    client.cookies["agora_language"] = "en"
    public = client.get(public_url(component, "idea_draw", idea_draw_id=drawing.pk)).content.decode()
    assert hidden.title not in public and "Contribution hidden by moderation" in public
    assert f"(#{hidden.pk})" in public and all(idea.title in public for idea in shown)
    client.force_login(space_admin)
    staff = client.get(admin_url(component, "idea_draw", idea_draw_id=drawing.pk)).content.decode()
    assert hidden.title not in staff and "Contribution hidden by moderation" in staff
    client.logout()
    text = client.get(public_url(component, "idea_bundle", idea_draw_id=drawing.pk)).content.decode()
    assert hidden.title not in text and early.title not in text and shown[0].title in text
    bundle = json.loads(text)
    lines = engine_draw.verify(bundle)
    assert lines[0].startswith("draw 0 (ideas): OK, 3 of 6 ideas;") and "titles not shown" in lines[0]
    # a title changed in the bundle no longer matches its commitment
    forged = json.loads(text)
    entry = next(e for e in forged["draws"][0]["titles"] if not e.get("hidden"))
    entry["title"] = "Un autre titre"
    with pytest.raises(engine_draw.VerificationError, match="does not match its commitment"):
        engine_draw.verify(forged)
    # shown again when moderation restores it
    from agora.moderation.models import Moderation
    from agora.moderation.services import unhide

    unhide(actor=moderator, moderation=Moderation.objects.get(object_id=hidden.pk, hidden_at__isnull=False))
    assert hidden.title in client.get(public_url(component, "idea_draw", idea_draw_id=drawing.pk)).content.decode()


def test_a_first_format_drawing_masks_hidden_titles_too(client, component, source, moderator):
    """Drawings made before the titles were committed one by one (format 1) held the titles
    in the hashed document: a hidden title is masked all the same (that document then no
    longer checks, which the bundle's `hidden` list explains)."""
    from agora.components.proposals.models import Proposal

    ideas = [(str(pk), title) for pk, title in Proposal.objects.filter(component=source).values_list("pk", "title")]
    document = engine_draw.ideas_document(ideas, 2, "Idées", {})
    record = engine_draw.draw_ideas(document, [], "Loto 9")
    legacy = IdeaDraw.objects.create(
        component=component,
        title="Ancien tirage",
        source=source,
        count=2,
        candidates=document,
        candidates_sha256=record["candidates_sha256"],
        record=record,
        drawn=record["drawn"],
        public_value="Loto 9",
        drawn_at="2026-12-07T20:00:00Z",
    )
    assert engine_draw.verify(
        json.loads(client.get(public_url(component, "idea_bundle", idea_draw_id=legacy.pk)).content)
    )
    hidden = Proposal.objects.get(pk=int(record["drawn"][0]))
    hide_content(actor=moderator, obj=hidden)
    page = client.get(public_url(component, "idea_draw", idea_draw_id=legacy.pk)).content.decode()
    assert hidden.title not in page
    text = client.get(public_url(component, "idea_bundle", idea_draw_id=legacy.pk)).content.decode()
    assert hidden.title not in text and json.loads(text)["draws"][0]["hidden"] == [str(hidden.pk)]
