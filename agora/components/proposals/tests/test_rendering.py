"""The list page's fast paths give the same HTML as Django's own rendering."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import translation

from agora.components.proposals.forms import FilterForm
from agora.testing import factories

from .conftest import configure
from .factories import ProposalStateFactory


def _django_rendering(form):
    return [
        (
            field.widget_type == "checkbox",
            f"{field} {field.label_tag()}" if field.widget_type == "checkbox" else f"{field.label_tag()} {field}",
        )
        for field in form
    ]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=v%C3%A9lo+%3Cb%3E%22x%22&order=recent",
        "category=1&scope=2&state=none&status=withdrawn",
        "category=zzz&order=nope&state=99999",
        "mine=on&supported=on&official=on&order=most_commented",
        "q=" + "x" * 300,
        "order=random&order=recent&status=all",
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_fast_filter_fields_equal_django_widgets(component, organization, participant, query, language):
    category = factories.CategoryFactory(organization=organization, name={"fr": "Vélo & <rues>", "en": "Bikes"})
    factories.ScopeFactory(organization=organization, name={"fr": "Centre", "en": "Centre"})
    ProposalStateFactory(component=component, name={"fr": 'Retenu "oui"', "en": "Kept"})
    configure(component, category_mode="optional", scope_mode="optional")
    query = query.replace("category=1", f"category={category.pk}")
    with translation.override(language):
        for user in (participant, AnonymousUser()):
            form = FilterForm(QueryDict(query), component=component, user=user)
            form.filters()
            assert "category" in form.fields and "scope" in form.fields
            fast = [(field.checkbox, str(field.html)) for field in form.fast_fields()]
            assert fast == _django_rendering(form)


def _card(page: str, proposal) -> str:
    start = page.index(f'href="{proposal.get_absolute_url()}"')
    return page[page.rindex('<li class="card', 0, start) : page.index("</li>\n", start)]


def test_cached_cards_follow_the_idea_and_keep_the_visitor_part_out(
    client, component, participant, other_participant, organization
):
    from agora.components.proposals import services

    from .factories import ProposalFactory

    category = factories.CategoryFactory(organization=organization, name={"fr": "Sport", "en": "Sport"})
    configure(component, category_mode="optional")
    proposal = ProposalFactory(component=component, title="Des bancs", category=category)
    index = component.get_absolute_url() + "?order=recent"
    assert "Des bancs" in _card(client.get(index).content.decode(), proposal)  # rendered, then cached
    proposal.title = "Des bancs à l'ombre"
    proposal.save()
    category.name = {"fr": "Loisirs", "en": "Leisure"}
    category.save()
    card = _card(client.get(index).content.decode(), proposal)
    assert "Des bancs à l&#x27;ombre" in card and ("Leisure" in card or "Loisirs" in card)

    client.force_login(participant)
    services.support(actor=participant, proposal=proposal)
    mine = _card(client.get(index).content.decode(), proposal)
    assert ("1 support" in mine or "1 soutien" in mine) and "unsupport" in mine  # new count; this visitor's button
    client.force_login(other_participant)
    theirs = _card(client.get(index).content.decode(), proposal)
    assert (
        ("1 support" in theirs or "1 soutien" in theirs)
        and "unsupport" not in theirs
        and f"{proposal.pk}/support/" in theirs
    )
