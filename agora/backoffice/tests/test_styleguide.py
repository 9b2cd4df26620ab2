"""The living style guide (/admin/styleguide/): staff only; every part, in both themes."""

import re

from django.urls import reverse

PARTS = (
    "alert alert-success",
    "alert alert-error",
    'class="breadcrumbs"',
    "space-hero",
    'class="stepper"',
    'class="card"',
    "card-counters",
    "badge badge-danger",
    'class="progress progress-over"',
    "budget-meter-over",
    'class="chart"',
    'class="table-scroll"',
    'class="empty-state"',
    'class="pagination"',
    "filters-panel",
    'aria-disabled="true"',
    "swatch-brand-strong",
)


def test_the_style_guide_shows_every_part_in_both_themes(admin_client):
    response = admin_client.get(reverse("backoffice:styleguide"))
    assert response.status_code == 200
    html = response.content.decode()
    light, contrast = html.split('class="styleguide-theme theme-contrast"')
    assert 'class="styleguide-theme theme-light"' in light
    for part in PARTS:
        assert part in light.split('class="styleguide-theme theme-light"')[1], part
        assert part in contrast, part
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) - ids.count("budget-meter") == len(set(ids) - {"budget-meter"})  # parts take the theme's ids


def test_people_without_a_staff_role_are_refused(client, participant, organization):
    url = reverse("backoffice:styleguide")
    assert client.get(url).status_code == 302  # anonymous: the login page
    client.force_login(participant)
    assert client.get(url).status_code == 403
