"""The statistics of the follow-up, debates and surveys components are read
for many components at once (the manifests' `stats_many` hook), as those of
ideas, budgets, news and pages: the back-office dashboard and the home
page's key figures ask the same number of queries for one component of a
type as for ten, and the figures are each component's own."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agora.comments.models import Comment
from agora.components import home_blocks
from agora.components.accountability.tests.factories import MilestoneFactory, ResultFactory
from agora.components.debates.models import Debate
from agora.components.home_blocks import organization_figures
from agora.components.registry import registry
from agora.components.selectors import stats_of
from agora.components.surveys import services as surveys
from agora.components.surveys.models import ResponseCount
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.testing import factories

TYPES = ("accountability", "debates", "surveys")


def _accountability(process, n):
    component = factories.ComponentFactory(space=process, manifest_name="accountability")
    top = ResultFactory(component=component, progress=Decimal("100"))
    ResultFactory(component=component, progress=Decimal("33.33") + n)
    ResultFactory(component=component, parent=top, progress=Decimal("10"))
    MilestoneFactory(result=top, date=date(2026, 5, 1))
    return component


def _debates(process, n, author):
    component = factories.ComponentFactory(space=process, manifest_name="debates")
    now = timezone.now()
    opened = Debate.objects.create(component=component, title=tr("Ouvert"), official=True, author=author)
    Debate.objects.create(
        component=component, title=tr("Fini"), official=True, author=author, ends_at=now - timedelta(days=1)
    )
    hidden = Debate.objects.create(component=component, title=tr("Caché"), official=True, author=author)
    hide_content(actor=author, obj=hidden)
    for alignment in [Comment.Alignment.FOR] * (n + 1) + [Comment.Alignment.AGAINST]:
        Comment.objects.create(
            content_type=ContentType.objects.get_for_model(Debate),
            object_id=opened.pk,
            organization=process.organization,
            space=process,
            component=component,
            author=author,
            body="Un avis",
            alignment=alignment,
        )
    return component


def _surveys(process, n):
    component = factories.ComponentFactory(space=process, manifest_name="surveys")
    survey = surveys.ensure_survey(component)
    ResponseCount.objects.create(survey=survey, shard=0, count=2 + n)
    ResponseCount.objects.create(survey=survey, shard=3, count=1)
    return component


def _add(process, author, n):
    return [_accountability(process, n), _debates(process, n, author), _surveys(process, n)]


def test_each_manifest_counts_many_components_together():
    for name in TYPES:
        assert registry[name].stats_many, name


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_the_figures_are_each_components_own(process, org_admin, english):
    first, second = _add(process, org_admin, 0), _add(process, org_admin, 1)
    together = stats_of(first + second)
    results, debates, answers = (together[c.pk] for c in first)
    assert [(str(label), value) for label, value in results] == [
        ("Results", 3),
        ("Completed results", 1),
        ("Overall progress (%)", Decimal("66.67")),  # the mean of the top-level results: (100 + 33.33) / 2
        ("Milestones", 1),
    ]
    assert [value for _label, value in debates] == [2, 1, 1, 2, 1, 1]  # the hidden debate is left out
    assert [value for _label, value in answers] == [3]
    results, debates, answers = (together[c.pk] for c in second)
    assert results[2][1] == Decimal("67.17") and [v for _l, v in debates] == [2, 1, 1, 3, 2, 1]
    assert answers[0][1] == 4
    # One by one (`stats`), the same figures.
    for component in first + second:
        assert stats_of([component])[component.pk] == together[component.pk]


def test_a_component_without_anything_counts_zero(process):
    components = [factories.ComponentFactory(space=process, manifest_name=name) for name in TYPES]
    figures = stats_of(components)
    assert [value for _label, value in figures[components[0].pk]] == [0, 0, Decimal("0"), 0]
    assert [value for _label, value in figures[components[1].pk]] == [0] * 6
    assert figures[components[2].pk][0][1] == 0  # no survey yet


@pytest.mark.parametrize("name", TYPES)
def test_the_queries_do_not_grow_with_the_number_of_components(process, org_admin, name):
    make = {"accountability": _accountability, "surveys": _surveys}.get(name) or (
        lambda space, n: _debates(space, n, org_admin)
    )
    components = [make(process, 0)]
    with CaptureQueriesContext(connection) as one:
        stats_of(components)
    components += [make(process, n) for n in range(1, 6)]
    with CaptureQueriesContext(connection) as six:
        stats_of(components)
    assert len(six) == len(one) <= 3


def test_dashboard_and_key_figures_ask_as_many_queries_for_one_component_as_for_many(
    client, organization, process, org_admin, monkeypatch
):
    client.force_login(org_admin)
    monkeypatch.setattr(home_blocks, "cache", DummyCache("figures", {}))  # counted each time
    _add(process, org_admin, 0)
    client.get(reverse("backoffice:dashboard"))

    def count():
        with CaptureQueriesContext(connection) as dashboard:
            response = client.get(reverse("backoffice:dashboard"))
        assert response.status_code == 200, response
        with CaptureQueriesContext(connection) as figures:
            found = organization_figures(organization)
        return len(dashboard), len(figures), response.context["stats"], found

    dashboard, figures, stats, _found = count()
    for n in range(1, 4):
        _add(process, org_admin, n)
    client.get(reverse("backoffice:dashboard"))  # the organization read again after the change of settings
    dashboard_after, figures_after, stats_after, found = count()
    assert len(stats_after) == 4 * len(stats)
    assert (dashboard_after, figures_after) == (dashboard, figures)
    by_key = {key: number for key, _label, number in found}
    assert by_key["Results"] == 12 and by_key["Answers to the survey"] == 3 + 4 + 5 + 6
