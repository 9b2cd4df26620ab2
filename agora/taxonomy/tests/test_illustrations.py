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
