"""The default illustration of a category: a built-in SVG chosen from the
category's id (no query), decorative, on the cards of ideas that have no
picture of their own."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.taxonomy.api import ILLUSTRATIONS, illustration_path
from agora.testing import factories


def test_each_category_always_gets_the_same_built_in_illustration():
    assert illustration_path(None) is None and illustration_path(0) is None
    assert illustration_path(7) == illustration_path(7) == illustration_path(7 + ILLUSTRATIONS)
    assert len({illustration_path(n) for n in range(1, ILLUSTRATIONS + 1)}) == ILLUSTRATIONS
    for n in range(1, ILLUSTRATIONS + 1):
        found = finders.find(illustration_path(n))
        assert found, n
        with open(found, encoding="utf-8") as svg:
            drawing = svg.read()
        assert drawing.startswith("<svg") and "<text" not in drawing and "<script" not in drawing


def test_the_illustration_is_decorative_and_asks_no_query(db):
    template = Template("{% load taxonomy %}{% category_illustration 3 %}|{% category_illustration None %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({}))
    assert len(queries) == 0
    media, nothing = html.split("|")
    assert nothing == ""
    assert '<div class="card-media" aria-hidden="true">' in media and 'alt=""' in media
    assert f'src="{settings.STATIC_URL}taxonomy/illustrations/3.svg"' in media


def test_an_idea_without_a_picture_shows_its_categorys_illustration(client, process, organization):
    component = ProposalsComponentFactory(space=process)
    category = factories.CategoryFactory(organization=organization)
    ProposalFactory(component=component, category=category, title="Avec catégorie")
    ProposalFactory(component=component, title="Sans catégorie")
    page = client.get(component.get_absolute_url()).content.decode()
    assert page.count("card-illustration") == 1
    assert illustration_path(category.pk) in page


def test_meetings_and_debates_cards_show_their_categorys_illustration(client, process, organization):
    """The same card part as the ideas': a meeting's or a debate's card without
    a picture of its own shows its category's illustration, none without a category."""
    from datetime import timedelta

    from django.utils import timezone

    from agora.components.debates.models import Debate
    from agora.components.meetings.models import Meeting
    from agora.core.translations import tr

    category = factories.CategoryFactory(organization=organization)
    meetings = factories.ComponentFactory(space=process, manifest_name="meetings", name=tr("Réunions"))
    debates = factories.ComponentFactory(space=process, manifest_name="debates", name=tr("Débats"))
    starts = timezone.now() + timedelta(days=3)
    for title, chosen in (("Avec catégorie", category), ("Sans catégorie", None)):
        Meeting.objects.create(
            component=meetings,
            title=tr(title),
            description=tr("<p>Ordre du jour.</p>"),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            published_at=timezone.now(),
            category=chosen,
        )
        Debate.objects.create(component=debates, title=tr(title), description=tr("<p>Le samedi.</p>"), category=chosen)
    for component in (meetings, debates):
        page = client.get(component.get_absolute_url()).content.decode()
        assert "Avec catégorie" in page and "Sans catégorie" in page
        assert page.count("card-illustration") == 1, component.manifest_name
        assert illustration_path(category.pk) in page
