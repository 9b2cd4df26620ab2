"""Milestone photos: stored upright without metadata with their WebP copies;
a result's card shows the first photo of its milestones (by date), read in
the list's own query."""

import re
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agora.components.accountability import selectors, services
from agora.core import images
from agora.core.tests.test_images import photo_bytes
from agora.core.translations import tr

from .factories import MilestoneFactory, ResultFactory


def _photo(name="chantier.jpg", size=(1600, 1200)):
    return SimpleUploadedFile(name, photo_bytes(size), content_type="image/jpeg")


def test_a_milestone_photo_gets_its_webp_copies(component, space_admin, settings):
    milestone = MilestoneFactory(result=ResultFactory(component=component))
    photo = services.add_photo(actor=space_admin, milestone=milestone, image=_photo(), alt=tr("Le chantier"))
    assert photo.variants["sizes"] == [[320, 427], [640, 853], [1200, 1600]]
    for name in images.variant_names(photo.image.name, photo.variants):
        with Image.open(settings.MEDIA_ROOT / name) as copy:
            assert copy.format == "WEBP"


def test_a_results_card_shows_the_first_photo_of_its_milestones_without_an_extra_query(client, component, space_admin):
    result = ResultFactory(component=component, title=tr("Le square"))
    ResultFactory(component=component, title=tr("Sans photo"))
    client.get(component.get_absolute_url())
    with CaptureQueriesContext(connection) as before:
        selectors.results(component)
    later = MilestoneFactory(result=result, date=date(2026, 5, 1))
    first = MilestoneFactory(result=result, date=date(2025, 3, 1))
    services.add_photo(actor=space_admin, milestone=later, image=_photo("fin.jpg"), alt=tr("L'inauguration"))
    services.add_photo(actor=space_admin, milestone=first, image=_photo(), alt=tr("Le chantier", "The works"))
    with CaptureQueriesContext(connection) as after:
        listed = selectors.results(component)
    assert len(after) == len(before)
    cover = next(item for item in listed if item.pk == result.pk).card_picture
    assert cover.alt == "Le chantier" and ".w320.webp" in cover.src
    assert next(item for item in listed if item.pk != result.pk).card_picture is None
    page = client.get(component.get_absolute_url()).content.decode()
    card = re.search(r'<img class="card-picture"[^>]*>', page).group(0)
    assert 'alt="Le chantier"' in card and ".w320.webp 320w" in card and 'sizes="' in card
    assert page.count('class="card-picture"') == 1
