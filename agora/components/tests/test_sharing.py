"""Sharing: share links, Open Graph metadata, embeddable cards and feeds show
public content only (issue 22, section 5)."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from agora.components.debates.models import Debate
from agora.components.meetings.models import Meeting
from agora.components.news.tests.factories import PostFactory
from agora.components.proposals.models import Proposal
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.spaces.models import SpaceMember
from agora.testing import factories
from agora.web import sharing


def og(page: str, prop: str) -> str | None:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', page)
    return found.group(1) if found else None


def url(component, name, **kwargs):
    return reverse(f"{component.manifest_name}:{name}", kwargs={**component.url_kwargs(), **kwargs})


@pytest.fixture
def ideas(process):
    return ProposalsComponentFactory(space=process)


@pytest.fixture
def news(process):
    return factories.ComponentFactory(space=process, manifest_name="news", name=tr("Actualités", "News"))


@pytest.fixture
def meetings(process):
    return factories.ComponentFactory(space=process, manifest_name="meetings", name=tr("Réunions", "Meetings"))


def make_meeting(component, **fields):
    starts_at = timezone.now() + timedelta(days=7)
    values = {
        "title": tr("Réunion publique des Prés", "Les Prés public meeting"),
        "description": tr("<p>Ordre du jour à venir.</p>"),
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "published_at": timezone.now(),
        **fields,
    }
    return Meeting.objects.create(component=component, **values)


def test_an_idea_page_has_its_metadata_and_share_links(client, ideas):
    idea = ProposalFactory(component=ideas, title="Des arceaux à vélos", body='Devant la médiathèque & la "poste".')
    page = client.get(idea.get_absolute_url()).content.decode()
    assert og(page, "og:title") == "Des arceaux à vélos"
    assert og(page, "og:url") == f"http://testserver{idea.get_absolute_url()}"
    assert og(page, "og:description") == "Devant la médiathèque &amp; la &quot;poste&quot;."
    assert '<meta name="twitter:card" content="summary">' in page
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver" in page
    assert "https://www.linkedin.com/sharing/share-offsite/?url=" in page
    assert "mailto:?subject=Des%20arceaux%20%C3%A0%20v%C3%A9los" in page
    assert f'src="http://testserver{idea.get_absolute_url()}embed/"' in page.replace("&quot;", '"')
    assert page.count('id="share-title"') == 1  # in the aside, not again after the content
    assert '<script src="https://' not in page  # no third-party script


def test_the_organization_hero_is_the_default_picture(client, ideas, organization):
    from agora.core.models import HomeBlock

    HomeBlock.objects.create(
        organization=organization, kind="hero", image="home/hero.jpg", settings={"image_alt": tr("La place")}
    )
    idea = ProposalFactory(component=ideas)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert og(page, "og:image") == "http://testserver/media/home/hero.jpg"
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_the_hero_pictures_text_alternative_is_in_the_pages_language(client, ideas, organization, settings):
    """The hero block is kept per settings version, its picture made for each
    page: a page in English after one in French says the English text."""
    from agora.core.models import HomeBlock

    HomeBlock.objects.create(
        organization=organization,
        kind="hero",
        image="home/hero.jpg",
        settings={"image_alt": tr("La place du marché", "The market square")},
    )
    idea = ProposalFactory(component=ideas)
    french = client.get(idea.get_absolute_url()).content.decode()
    assert og(french, "og:image:alt") == "La place du marché"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(idea.get_absolute_url()).content.decode()
    assert og(english, "og:image:alt") == "The market square"


def test_hidden_and_draft_ideas_are_in_no_metadata_feed_or_embed(client, ideas, org_admin):
    shown = ProposalFactory(component=ideas, title="Visible idea")
    hidden = ProposalFactory(component=ideas, title="Hidden idea")
    draft = ProposalFactory(component=ideas, title="Draft idea", status=Proposal.Status.DRAFT)
    hide_content(actor=org_admin, obj=hidden)
    for feed in (url(ideas, "feed"), url(ideas, "feed_atom")):
        response = client.get(feed)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Visible idea" in body and "Hidden idea" not in body and "Draft idea" not in body
        ElementTree.fromstring(response.content)  # well-formed XML
    assert client.get(url(ideas, "embed", resource_id=hidden.pk)).status_code == 404
    assert client.get(url(ideas, "embed", resource_id=draft.pk)).status_code == 404
    assert client.get(url(ideas, "embed", resource_id=shown.pk)).status_code == 200
    page = client.get(hidden.get_absolute_url()).content.decode()
    assert "og:title" not in page and "Hidden idea" not in page
    # even a moderator, who may read it, gets no embeddable card of it
    client.force_login(org_admin)
    assert client.get(url(ideas, "embed", resource_id=hidden.pk)).status_code == 404


def test_a_private_space_has_no_feed_and_no_metadata(client, ideas, organization):
    ideas.space.private = True
    ideas.space.save()
    idea = ProposalFactory(component=ideas, title="Secret idea")
    assert client.get(url(ideas, "feed")).status_code == 302  # to the login page
    member = factories.UserFactory()
    factories.member_of(member, organization)
    SpaceMember.objects.create(space=ideas.space, user=member)
    client.force_login(member)
    assert client.get(url(ideas, "feed")).status_code == 404  # feeds are for public components only
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Secret idea" in page and "og:title" not in page and 'id="share-title"' not in page
    assert client.get(url(ideas, "embed", resource_id=idea.pk)).status_code == 404
    assert sharing.share_context(_request_for(ideas), title="Secret idea") == {}


def _request_for(component):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.component = component
    request.organization = component.space.organization
    return request


def test_news_feed_and_card_leave_out_unpublished_posts(client, news):
    PostFactory(component=news, title=tr("Publiée", "Published"))
    later = PostFactory(
        component=news, title=tr("Programmée", "Scheduled"), published_at=timezone.now() + timedelta(days=3)
    )
    rss = client.get(url(news, "feed"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert "Publiée" in rss.content.decode() and "Programmée" not in rss.content.decode()
    atom = client.get(url(news, "feed_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml") and "Programmée" not in atom.content.decode()
    assert client.get(url(news, "embed", resource_id=later.pk)).status_code == 404
    index = client.get(url(news, "index")).content.decode()
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Actualités (RSS)" href="{url(news, "feed")}">'
        in index
    )


def test_meetings_private_and_hidden_stay_out(client, meetings, org_admin):
    make_meeting(meetings, title=tr("Réunion ouverte"))
    private = make_meeting(meetings, title=tr("Réunion privée"), visibility=Meeting.Visibility.PRIVATE)
    hidden = make_meeting(meetings, title=tr("Réunion masquée"))
    hide_content(actor=org_admin, obj=hidden)
    body = client.get(url(meetings, "feed")).content.decode()
    assert "Réunion ouverte" in body and "Réunion privée" not in body and "Réunion masquée" not in body
    for meeting in (private, hidden):
        assert client.get(url(meetings, "embed", resource_id=meeting.pk)).status_code == 404


def test_embeds_of_other_components_are_framed_and_public(client, meetings, process, org_admin):
    debates = factories.ComponentFactory(space=process, manifest_name="debates")
    debate = Debate.objects.create(component=debates, title=tr("Une rue piétonne ?"), official=True, author=org_admin)
    meeting = make_meeting(meetings)
    for response in (
        client.get(url(debates, "embed", resource_id=debate.pk)),
        client.get(url(meetings, "embed", resource_id=meeting.pk)),
    ):
        assert response.status_code == 200
        assert "X-Frame-Options" not in response and "frame-ancestors *" in response["Content-Security-Policy"]
        assert 'class="site-header"' not in response.content.decode()
    assert client.get(url(debates, "embed", resource_id=999999)).status_code == 404
    page = client.get(debate.get_absolute_url())
    assert page["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert og(page.content.decode(), "og:title") == "Une rue piétonne ?"


def test_mastodon_share_goes_to_the_visitors_server(client, organization):
    response = client.get(reverse("share_mastodon"), {"instance": "@me@Mastodon.Social", "text": "Une idée http://x"})
    assert response.status_code == 200
    assert 'href="https://mastodon.social/share?text=Une+id%C3%A9e+http%3A%2F%2Fx"' in response.content.decode()
    for bad in ("javascript:alert(1)", "evil.example/path", "a b", "http://user@host.example/x"):
        assert client.get(reverse("share_mastodon"), {"instance": bad, "text": "x"}).status_code == 400
    assert sharing.mastodon_share_url("localhost", "x") is None
