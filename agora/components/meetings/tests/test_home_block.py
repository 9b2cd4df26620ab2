"""The "upcoming meetings" block of the home page (issue 16, item 6): the next
public meetings of every public space, soonest first, as many as the officer
chose, with the agenda's link; nothing private, hidden, cancelled, past or of a
private space; no block at all when nothing is to come."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agora.components.meetings.models import Meeting
from agora.core import home
from agora.core.models import HomeBlock
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.testing import factories

from .conftest import make_meeting

pytestmark = pytest.mark.django_db


def _block(organization, **settings):
    return HomeBlock.objects.create(
        organization=organization,
        kind="meetings.upcoming",
        position=0,
        settings=home.kind_of("meetings.upcoming").check(settings, organization),
    )


def _home() -> str:
    return Client().get("/").content.decode()


def _in(days: int) -> dict:
    return {"starts_at": timezone.now() + timedelta(days=days)}


def test_the_block_lists_the_next_public_meetings_soonest_first(component, organization, org_admin):
    make_meeting(component, title=tr("Atelier vélo"), **_in(9))
    make_meeting(component, title=tr("Balade urbaine"), **_in(2))
    make_meeting(component, title=tr("Conseil de quartier"), **_in(20))
    make_meeting(component, title=tr("Réunion passée"), **_in(-3))
    make_meeting(component, title=tr("Comité restreint"), visibility=Meeting.Visibility.PRIVATE, **_in(1))
    make_meeting(component, title=tr("Réunion annulée"), cancelled_at=timezone.now(), **_in(1))
    make_meeting(component, title=tr("Brouillon"), published_at=None, **_in(1))
    hide_content(actor=org_admin, obj=make_meeting(component, title=tr("Réunion masquée"), **_in(1)))
    private = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=organization, private=True), manifest_name="meetings"
    )
    make_meeting(private, title=tr("Réunion d'un espace privé"), **_in(1))
    _block(organization, count=2, title={"fr": "Venez nous rencontrer"})

    html = _home()
    assert "Venez nous rencontrer" in html
    assert html.index("Balade urbaine") < html.index("Atelier vélo")
    assert "Conseil de quartier" not in html  # two meetings asked for
    for absent in ("Réunion passée", "Comité restreint", "Réunion annulée", "Brouillon", "Réunion masquée"):
        assert absent not in html, absent
    assert "espace privé" not in html
    assert f'href="{reverse("meetings_site:agenda")}"' in html
    block = html.split("Venez nous rencontrer</h2>")[1].split("</section>")[0]
    assert block.count("<h3") == 2 and "<h2" not in block  # the cards' titles under the block's heading


def test_without_a_meeting_to_come_there_is_no_block(component, organization):
    make_meeting(component, title=tr("Réunion passée"), **_in(-3))
    _block(organization)
    html = _home()
    assert "Réunions à venir" not in html and "Réunion passée" not in html


def test_the_default_title_and_count(component, organization):
    for day in range(1, 6):
        make_meeting(component, title=tr(f"Permanence {day}"), **_in(day))
    _block(organization)
    html = _home()
    assert "Réunions à venir" in html
    assert [f"Permanence {day}" in html for day in range(1, 6)] == [True, True, True, False, False]


def test_the_count_is_checked(organization):
    with pytest.raises(ValidationError) as refused:
        home.kind_of("meetings.upcoming").check({"count": 40}, organization)
    assert "count" in refused.value.message_dict
