"""The commit–reveal screens of a drawing of ideas and its public page (commitments,
a party dropped, an idea hidden by moderation shown as a placeholder) in Chromium:
axe-clean and no wider than the window, on a phone and on a desktop."""

import pytest
from django.urls import reverse

from agora.components.sortitions import services
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.sortition import draw as engine_draw
from agora.spaces.models import Role
from agora.testing import factories

pytestmark = [pytest.mark.browser]


def _clean(page, where):
    from agora.e2e.crawl import DESKTOP, PHONE, axe_violations, overflow

    found = []
    for width, height in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)
        found += [f"{where} @ {width}: {problem}" for problem in axe_violations(page) + overflow(page)]
    return found


def test_the_drawing_of_ideas_screens_are_accessible(page, live_server, transactional_db):
    from agora.components.proposals.models import Proposal
    from agora.e2e.session import log_in_as

    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    space = factories.SpaceFactory(organization=organization, title={"fr": "Budget participatif"})
    ideas = factories.ComponentFactory(space=space, manifest_name="proposals", name=tr("Idées", "Ideas"))
    for i in range(5):
        Proposal.objects.create(
            component=ideas, official=True, title=f"Idée {i}", body="…", status=Proposal.Status.PUBLISHED
        )
    component = factories.ComponentFactory(space=space, manifest_name="sortitions", name=tr("Tirages", "Drawings"))
    officer = factories.UserFactory()
    factories.member_of(officer, organization)
    Role.objects.create(user=officer, organization=organization, space=space, name=Role.Name.SPACE_ADMIN)
    moderator = factories.RoleFactory(space=space, name=Role.Name.MODERATOR).user
    factories.member_of(moderator, organization)
    waiting = services.create_idea_draw(actor=officer, component=component, title="En attente", source=ideas, count=2)
    for name in ("Mairie", "Opposition"):
        services.add_party(actor=officer, draw=waiting, name=name, commitment=engine_draw.commitment(name, "s"))
    drawn = services.create_idea_draw(actor=officer, component=component, title="Tiré", source=ideas, count=2)
    for name in ("Mairie", "Observateurs"):
        services.add_party(actor=officer, draw=drawn, name=name, commitment=engine_draw.commitment(name, "s"))
    services.reveal(actor=officer, party=drawn.parties.get(name="Mairie"), secret="s")
    drawn = services.perform_idea_draw(actor=officer, idea_draw=drawn, public_value="")
    hide_content(actor=moderator, obj=Proposal.objects.get(pk=int(drawn.drawn[0])))

    def admin(name, **kwargs):
        return reverse(
            f"sortitions_admin:{name}", kwargs={"space_id": space.pk, "component_id": component.pk, **kwargs}
        )

    def public(name, **kwargs):
        return reverse(f"sortitions:{name}", kwargs={**component.url_kwargs(), **kwargs})

    problems = []
    page.goto(live_server.url + public("idea_draw", idea_draw_id=drawn.pk))
    assert "Contribution masquée par la modération" in page.content()
    problems += _clean(page, "public page, drawn")
    page.goto(live_server.url + public("idea_draw", idea_draw_id=waiting.pk))
    problems += _clean(page, "public page, waiting")
    log_in_as(page, live_server, officer)
    page.goto(live_server.url + admin("idea_draw", idea_draw_id=waiting.pk))
    assert page.locator("form[action$='/commit/']").count() == 1
    problems += _clean(page, "back-office, waiting")
    # a wrong secret: the page comes back with the reason, still clean
    page.fill(f"#secret-{waiting.parties.get(name='Mairie').pk}", "faux")
    with page.expect_navigation():
        page.locator("form[action*='/reveal/'] button").first.click()
    assert page.locator(".notice-error[role=alert]").count() == 1
    problems += _clean(page, "back-office, refused secret")
    page.goto(live_server.url + admin("idea_draw", idea_draw_id=drawn.pk))
    problems += _clean(page, "back-office, drawn")
    assert problems == []
