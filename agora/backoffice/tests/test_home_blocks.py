"""The home page composed from blocks (agora.core.home): each kind drawn on
the page, the default composition, the back-office screens (forms per kind,
order, show and hide, previews, refusals), the page cache and its queries."""

import io
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from agora.actionlog.models import ActionLog
from agora.components.budgets.tests.factories import BudgetFactory
from agora.components.news.tests.factories import PostFactory
from agora.core import home, home_page, services
from agora.core.models import HomeBlock
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories

from .factories import staff

LIST = "/admin/organization/home/"


def png(size=(40, 30)):
    output = io.BytesIO()
    Image.new("RGB", size, "teal").save(output, format="PNG")
    return SimpleUploadedFile("hero.png", output.getvalue(), content_type="image/png")


def block(organization, kind, position=0, **values):
    """A stored block; `title__fr="..."` is the French of a translated setting (rich texts in HTML)."""
    settings: dict = {}
    for key, value in values.items():
        name, _sep, code = key.partition("__")
        if code:
            settings.setdefault(name, {})[code] = value
        else:
            settings[name] = value
    return HomeBlock.objects.create(
        organization=organization,
        kind=kind,
        position=position,
        settings=home.kind_of(kind).check(settings, organization),
    )


def headings(html):
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html.split('id="main"')[1].split("</main>")[0])]


def page(client=None):
    return (client or Client()).get("/").content.decode()


# --- the page ---------------------------------------------------------------------------------


def test_without_blocks_the_home_page_shows_the_default_composition(organization):
    open_process = factories.SpaceFactory(organization=organization, title=tr("Budget participatif"))
    factories.PhaseFactory(space=open_process, is_active=True, title=tr("Vote"))
    news = factories.ComponentFactory(space=open_process, manifest_name="news")
    PostFactory(component=news, title=tr("Le vote commence"))
    html = page()
    assert [b.kind for b in home_page.default_blocks(organization)] == ["hero", "spaces.open_processes", "news.latest"]
    assert "<h1" in html and "Ville de Test</h1>" in html
    assert html.index("Ville de Test</h1>") < html.index("Budget participatif") < html.index("Le vote commence")
    assert "Créer un compte pour participer" in html
    assert headings(html)[0] == 1 and headings(html).count(1) == 1


def test_hero_with_its_image_text_and_button(organization):
    hero = block(
        organization,
        "hero",
        **{
            "title__fr": "Bienvenue à Test",
            "text__fr": "<p><strong>Ensemble</strong></p>",
            "cta_label__fr": "Découvrir",
            "cta_url": "/processes/",
            "image_alt__fr": "La place du marché",
        },
    )
    services._store_image(hero, png((1600, 900)), None)
    hero.save()
    html = page()
    assert "<h1" in html and "Bienvenue à Test</h1>" in html
    assert "<strong>Ensemble</strong>" in html
    assert 'href="/processes/"' in html and "Découvrir" in html
    assert 'alt="La place du marché"' in html and "srcset=" in html and ".w640.webp" in html
    assert "Créer un compte pour participer" not in html  # the officer's button replaces it


def test_free_text_is_sanitized_markdown_with_its_title(organization):
    block(
        organization,
        "text",
        **{
            "title__fr": "Qui sommes-nous ?",
            "text__fr": "<p>Un <strong>texte</strong> <script>alert(1)</script><img src=x onerror=alert(2)></p>",
        },
    )
    html = page()
    assert "Qui sommes-nous" in html and "<strong>texte</strong>" in html
    assert "<script>alert(1)" not in html and "onerror" not in html


def test_a_page_without_a_hero_first_still_has_one_h1_and_headings_in_order(organization):
    block(organization, "text", 0, **{"title__fr": "Bienvenue", "text__fr": "<h2>Sous-titre</h2><p>Texte</p>"})
    block(organization, "hero", 1)
    html = page()
    assert '<h1 class="visually-hidden">Ville de Test</h1>' in html
    levels = headings(html)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:]))


def test_open_processes_and_highlighted_space(organization):
    process = factories.SpaceFactory(organization=organization, title=tr("Plan vélo"))
    factories.PhaseFactory(space=process, is_active=True, title=tr("Concertation"))
    assembly = factories.SpaceFactory(organization=organization, kind="assembly", title=tr("Conseil des jeunes"))
    private = factories.SpaceFactory(organization=organization, title=tr("Groupe privé"), private=True)
    block(organization, "spaces.open_processes", 0, **{"title__fr": "À vous de jouer"})
    block(organization, "spaces.highlighted", 1, space=assembly.pk)
    block(organization, "spaces.highlighted", 2, space=private.pk)
    html = page()
    assert "À vous de jouer" in html and "Plan vélo" in html and "Concertation" in html
    assert "Conseil des jeunes" in html and "Assemblée" in html
    assert "Groupe privé" not in html  # not open to everyone: not shown on a page cached for everyone


def test_latest_news_block(organization):
    news = factories.ComponentFactory(space=factories.SpaceFactory(organization=organization), manifest_name="news")
    for n in range(3):
        PostFactory(component=news, title=tr(f"Nouvelle {n}"))
    block(organization, "news.latest", count=2, **{"title__fr": "Du côté de la ville"})
    html = page()
    assert "Du côté de la ville" in html and html.count("Nouvelle ") == 2


def test_the_vote_banner_shows_only_while_a_vote_is_open(organization):
    process = factories.SpaceFactory(organization=organization, title=tr("Budget 2027"))
    phase = factories.PhaseFactory(space=process, is_active=True)
    budgets = factories.ComponentFactory(
        space=process, manifest_name="budgets", phase_settings={str(phase.pk): {"votes_enabled": True}}
    )
    BudgetFactory(component=budgets)
    block(organization, "budgets.vote_open")
    html = page()
    assert "Le vote est ouvert" in html and budgets.get_absolute_url() in html and "Budget 2027" in html
    budgets.phase_settings = {str(phase.pk): {"votes_enabled": False}}
    budgets.save()
    assert "Le vote est ouvert" not in page()


def test_key_figures_sum_the_stats_hooks_of_public_components(organization, participant):
    process = factories.SpaceFactory(organization=organization)
    budgets = factories.ComponentFactory(space=process, manifest_name="budgets")
    BudgetFactory(component=budgets)
    BudgetFactory(component=factories.ComponentFactory(space=process, manifest_name="budgets"))
    block(organization, "components.figures", figures=["Participants", "Budgets"])
    html = page()
    assert "Chiffres clés" in html
    assert re.search(r'class="key-figure">1</strong> <span>Participants', html)
    assert re.search(r'class="key-figure">2</strong> <span>Budgets', html)


def test_hidden_blocks_and_unknown_kinds_are_not_shown(organization):
    block(organization, "text", 0, **{"title__fr": "Visible", "text__fr": "oui"})
    hidden = block(organization, "text", 1, **{"title__fr": "Caché", "text__fr": "non"})
    HomeBlock.objects.filter(pk=hidden.pk).update(is_enabled=False)
    HomeBlock.objects.create(organization=organization, kind="meetings.upcoming", position=2)
    html = page()
    assert "Visible" in html and "Caché" not in html


# --- settings checked by the services -----------------------------------------------------------


def test_settings_are_checked_per_kind(organization, other_organization):
    with pytest.raises(ValidationError) as error:
        home.kind_of("hero").check({"cta_url": "javascript:alert(1)", "cta_label": {"fr": "Go"}}, organization)
    assert "cta_url" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        home.kind_of("hero").check({"cta_url": "/processes/"}, organization)  # a button needs its words
    assert "cta_label__fr" in error.value.message_dict
    theirs = factories.SpaceFactory(organization=other_organization)
    with pytest.raises(ValidationError) as error:
        home.kind_of("spaces.highlighted").check({"space": theirs.pk}, organization)
    assert "space" in error.value.message_dict
    with pytest.raises(ValidationError):
        home.kind_of("news.latest").check({"count": 500}, organization)
    assert home.kind_of("text").check(
        {"title": {"fr": "T", "xx": "?"}, "text": {"fr": "<p onclick='x'>a</p>"}, "other": 1}, organization
    ) == {"title": {"fr": "T"}, "text": {"fr": "<p>a</p>"}}


def test_services_refuse_unknown_kinds_and_bad_settings(organization, org_admin):
    services.compose_home_page(actor=org_admin, organization=organization)
    with pytest.raises(ValidationError):
        services.add_home_block(actor=org_admin, organization=organization, kind="no.such.kind", settings={})
    with pytest.raises(ValidationError):
        services.add_home_block(actor=org_admin, organization=organization, kind="text", settings={})
    hero = HomeBlock.objects.get(organization=organization, kind="hero")
    with pytest.raises(ValidationError):
        services.update_home_block(
            actor=org_admin, block=hero, settings={"cta_url": "javascript:alert(1)"}, is_enabled=True
        )
    with pytest.raises(ValidationError):  # an image needs its description
        services.update_home_block(actor=org_admin, block=hero, settings={}, is_enabled=True, image=png())


def test_the_first_change_saves_the_default_composition_then_adds(organization, org_admin):
    services.add_home_block(
        actor=org_admin,
        organization=organization,
        kind="text",
        settings={"title": {"fr": "Mot du maire"}, "text": {"fr": "<p>Bonjour</p>"}},
    )
    kinds = list(HomeBlock.objects.filter(organization=organization).values_list("kind", "position"))
    assert kinds == [("hero", 0), ("spaces.open_processes", 1), ("news.latest", 2), ("text", 3)]
    assert ActionLog.objects.filter(verb="home_block.create").count() == 1
    with pytest.raises(Exception) as error:  # one hero per page
        services.add_home_block(actor=org_admin, organization=organization, kind="hero", settings={})
    assert "déjà" in str(error.value) or "already" in str(error.value)


def test_people_who_do_not_manage_the_organization_may_not_change_the_home_page(organization, participant, space_admin):
    first = block(organization, "text", **{"title__fr": "A", "text__fr": "a"})
    for person in (participant, space_admin):
        with pytest.raises(PermissionDenied):
            services.add_home_block(actor=person, organization=organization, kind="text", settings={})
        with pytest.raises(PermissionDenied):
            services.move_home_block(actor=person, block=first, direction="down")
        with pytest.raises(PermissionDenied):
            services.delete_home_block(actor=person, block=first)
        with pytest.raises(PermissionDenied):
            services.set_home_block_enabled(actor=person, block=first, enabled=False)


# --- the back-office screens ----------------------------------------------------------------------


def test_screens_are_refused_to_people_who_do_not_manage_the_organization(
    client, organization, participant, space_admin, other_org_admin
):
    first = block(organization, "text", **{"title__fr": "A", "text__fr": "a"})
    for person in (participant, space_admin, other_org_admin):
        client.force_login(person)
        for url in (
            LIST,
            LIST + "new/",
            LIST + "new/?kind=text",
            f"{LIST}{first.pk}/",
            f"{LIST}{first.pk}/delete/",
            f"{LIST}{first.pk}/preview/",
            LIST + "preview/",
        ):
            assert client.get(url).status_code == 403, (person, url)
        for url in (f"{LIST}{first.pk}/move/", f"{LIST}{first.pk}/show/", LIST + "compose/"):
            assert client.post(url, {"direction": "down", "enabled": "0"}).status_code == 403, (person, url)
    assert HomeBlock.objects.filter(organization=organization).count() == 1 and HomeBlock.objects.get().is_enabled


def test_an_admin_adds_a_block_and_gives_the_hero_an_image_in_two_languages(admin_client, organization):
    choose = admin_client.get(LIST + "new/").content.decode()
    assert "?kind=text" in choose and "?kind=budgets.vote_open" in choose and "?kind=spaces.highlighted" in choose
    assert "?kind=hero" not in choose and "?kind=news.latest" not in choose  # in the default composition: once
    form = admin_client.get(LIST + "new/?kind=text").content.decode()
    assert 'name="title__fr"' in form and 'name="title__en"' in form and 'name="kind" value="text"' in form
    answer = admin_client.post(
        LIST + "new/?kind=text",
        {"is_enabled": "on", "title__fr": "Mot du maire", "title__en": "A word", "text__fr": "Bonjour", "text__en": ""},
    )
    assert answer.status_code == 302
    assert list(HomeBlock.objects.values_list("kind", flat=True)) == [
        "hero",
        "spaces.open_processes",
        "news.latest",
        "text",
    ]
    hero = HomeBlock.objects.get(kind="hero")
    form = admin_client.get(f"{LIST}{hero.pk}/").content.decode()
    assert 'name="image"' in form and 'enctype="multipart/form-data"' in form
    answer = admin_client.post(
        f"{LIST}{hero.pk}/",
        {
            "is_enabled": "on",
            "title__fr": "Bienvenue",
            "title__en": "Welcome",
            "text__fr": "Texte",
            "text__en": "",
            "image": png(),
            "image_alt__fr": "La mairie",
            "image_alt__en": "The town hall",
            "cta_label__fr": "",
            "cta_label__en": "",
            "cta_url": "",
        },
    )
    assert answer.status_code == 302
    hero.refresh_from_db()
    assert (
        hero.image
        and hero.image_variants["sizes"]
        and hero.settings["image_alt"] == {"fr": "La mairie", "en": "The town hall"}
    )
    assert 'alt="La mairie"' in page() and "Bienvenue</h1>" in page()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/", {"lang": "en"})
    assert english.status_code == 200


def test_an_invalid_form_comes_back_with_its_errors(admin_client, organization):
    block(organization, "hero")
    hero = HomeBlock.objects.get(kind="hero")
    answer = admin_client.post(
        f"{LIST}{hero.pk}/",
        {
            "is_enabled": "on",
            "title__fr": "Bienvenue",
            "title__en": "",
            "text__fr": "",
            "text__en": "",
            "image": png(),
            "image_alt__fr": "",
            "image_alt__en": "",
            "cta_label__fr": "",
            "cta_label__en": "",
            "cta_url": "javascript:alert(1)",
        },
    )
    html = unescape(answer.content.decode())
    assert answer.status_code == 200
    assert "Décrivez l'image pour les personnes" in html  # an image needs its description
    assert "Saisissez une adresse qui commence par" in html  # no javascript: link
    assert 'value="Bienvenue"' in html
    assert HomeBlock.objects.get(pk=hero.pk).settings.get("title") == {}


def test_an_admin_edits_hides_moves_previews_and_deletes_blocks(admin_client, organization):
    first = block(organization, "text", 0, **{"title__fr": "Premier", "text__fr": "un"})
    second = block(organization, "text", 1, **{"title__fr": "Second", "text__fr": "deux"})
    listing = admin_client.get(LIST).content.decode()
    assert "Premier" in listing and "Second" in listing and "Monter" in listing
    answer = admin_client.post(
        f"{LIST}{first.pk}/",
        {"is_enabled": "on", "title__fr": "Premier bloc", "title__en": "First", "text__fr": "**un**", "text__en": ""},
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.settings["title"] == {"fr": "Premier bloc", "en": "First"}
    assert first.settings["text"] == {"fr": "<p><strong>un</strong></p>"}
    admin_client.post(f"{LIST}{second.pk}/move/", {"direction": "up"})
    assert list(home_page.saved_blocks(organization).values_list("pk", flat=True)) == [second.pk, first.pk]
    admin_client.post(f"{LIST}{second.pk}/show/", {"enabled": "0"})
    assert not HomeBlock.objects.get(pk=second.pk).is_enabled
    assert "Second" not in page()
    preview = admin_client.get(f"{LIST}{second.pk}/preview/").content.decode()
    assert "Second" in preview and "Premier bloc" not in preview
    admin_client.post(f"{LIST}{first.pk}/delete/")
    assert list(HomeBlock.objects.values_list("pk", "position")) == [(second.pk, 0)]
    assert {"home_block.update", "home_block.move", "home_block.delete"} <= set(
        ActionLog.objects.values_list("verb", flat=True)
    )


def test_compose_saves_the_default_blocks_for_editing(admin_client, organization):
    assert "Modifier les blocs par défaut" in admin_client.get(LIST).content.decode()
    admin_client.post(LIST + "compose/")
    assert list(HomeBlock.objects.values_list("kind", flat=True)) == ["hero", "spaces.open_processes", "news.latest"]


def test_an_other_organizations_block_is_not_found(admin_client, organization, other_organization):
    theirs = HomeBlock.objects.create(organization=other_organization, kind="text", settings={})
    assert admin_client.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert admin_client.post(f"{LIST}{theirs.pk}/show/", {"enabled": "0"}).status_code == 404


# --- cache and queries ------------------------------------------------------------------------------


def test_a_change_of_blocks_empties_the_cached_home_page(organization, org_admin):
    visitor = Client()
    first = block(organization, "text", **{"title__fr": "Avant", "text__fr": "a"})
    assert "Avant" in page(visitor)
    with CaptureQueriesContext(connection) as queries:
        assert "Avant" in page(visitor)  # from the cache
    assert not [q for q in queries.captured_queries if "core_homeblock" in q["sql"]]
    services.update_home_block(
        actor=org_admin, block=first, settings={"title": {"fr": "Après"}, "text": {"fr": "<p>b</p>"}}, is_enabled=True
    )
    assert "Après" in page(visitor)
    services.set_home_block_enabled(actor=org_admin, block=first, enabled=False)
    assert "Après" not in page(visitor)


def test_the_home_page_keeps_a_small_number_of_queries(organization, participant):
    for n in range(3):
        process = factories.SpaceFactory(organization=organization, promoted=n == 0)
        phase = factories.PhaseFactory(space=process, is_active=True)
        news = factories.ComponentFactory(space=process, manifest_name="news")
        PostFactory(component=news)
        budgets = factories.ComponentFactory(
            space=process, manifest_name="budgets", phase_settings={str(phase.pk): {"votes_enabled": True}}
        )
        BudgetFactory(component=budgets)
    for kind in ("hero", "budgets.vote_open", "spaces.open_processes", "components.figures", "news.latest"):
        block(organization, kind, HomeBlock.objects.count())
    block(organization, "text", 9, **{"title__fr": "Texte", "text__fr": "libre"})
    block(organization, "spaces.highlighted", 10, space=process.pk)
    client = Client()
    client.force_login(participant)
    client.get("/")  # the key figures are kept a few minutes
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "Le vote est ouvert" in html and "Chiffres clés" in html and "À la une" in html
    # Every kind at once: one h1 (the hero's), then no level skipped.
    levels = headings(html)
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:])), levels
    assert len(queries) <= 15, "\n".join(q["sql"] for q in queries.captured_queries)


def test_a_space_admin_is_refused_even_with_a_role_in_every_space(client, organization):
    person = staff(organization, Role.Name.SPACE_ADMIN, factories.SpaceFactory(organization=organization))
    client.force_login(person)
    assert client.get(LIST).status_code == 403
