"""Machine translation of the components that declare `translatable` fields since
(initiatives, budgets' projects, follow-up results and milestones, surveys,
votations): the worker translates their public texts, never those of a component
that is not public nor what is not public, and their pages show the translation
with the original one click away (issue 22, section 4)."""

import re

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.html import strip_tags

from agora.components.registry import registry
from agora.core.machine_translation import LocalBackend, translate_organization
from agora.core.models import MachineTranslation
from agora.testing import factories

pytestmark = pytest.mark.django_db

# (component type, model, {field: a French text}, the field whose translation its page shows)
CASES = [
    (
        "initiatives",
        "initiatives.Initiative",
        {"title": "Un parc pour les enfants", "question": "Un jardin?", "body": "<p>Des arbres et un jardin.</p>"},
        "title",
    ),
    (
        "budgets",
        "budgets.Project",
        {"title": {"fr": "Un jardin partagé"}, "description": {"fr": "<p>Des arbres dans la cour.</p>"}},
        "title",
    ),
    (
        "accountability",
        "accountability.Result",
        {"title": {"fr": "Un parc rénové"}, "description": {"fr": "<p>Des arbres et un jardin.</p>"}},
        "title",
    ),
    (
        "surveys",
        "surveys.Survey",
        {"introduction": {"fr": "<p>Un parc pour l'école.</p>"}},
        "introduction",
    ),
    (
        "votations",
        "votations.Votation",
        {"title": {"fr": "Un parc ou un jardin"}, "description": {"fr": "<p>Des arbres.</p>"}},
        "title",
    ),
]


@pytest.fixture
def turned_on(settings, organization):
    settings.AGORA_TRANSLATION_BACKEND = "local"
    organization.available_languages = ["fr", "en"]
    organization.machine_translation = True
    organization.save()
    return organization


def _seeded(space, name, *, published=True):
    manifest = registry[name]
    component = factories.ComponentFactory(
        space=space,
        manifest_name=name,
        settings=manifest.default_settings(),
        published_at=timezone.now() if published else None,
    )
    manifest.hook(manifest.seed)(component)
    return component


def _page_of(obj):
    return obj.component.get_absolute_url() if obj._meta.label == "surveys.Survey" else obj.get_absolute_url()


@pytest.mark.parametrize("name, model, texts, shown", CASES, ids=[case[0] for case in CASES])
def test_public_texts_are_translated_and_shown_with_the_original(
    client, settings, turned_on, name, model, texts, shown
):
    space = factories.SpaceFactory(organization=turned_on)
    factories.PhaseFactory(space=space, is_active=True)
    public = _seeded(space, name)
    closed = _seeded(space, name, published=False)
    manifest = registry[name]
    declared = next(t for t in manifest.translatable if t.model == model)
    rows = list(manifest.hook(declared.rows)(public))
    assert rows, f"{name}: the seed gives nothing public to translate"
    assert list(manifest.hook(declared.rows)(closed)) == []
    chosen = rows[0]
    text = texts[shown]
    text = text if isinstance(text, str) else text["fr"]
    shown = strip_tags(LocalBackend().translate([text], source="fr", target="en", html="<" in text)[0])
    model_class = apps.get_model(model)
    model_class.objects.filter(pk=chosen.pk).update(**texts)

    report = translate_organization(turned_on)
    assert report.failed == 0
    label = model_class._meta.label_lower
    stored = MachineTranslation.objects.filter(model=label, language="en")
    assert set(stored.filter(object_id=chosen.pk).values_list("field", flat=True)) == set(texts)
    # Only what is public: nothing of the unpublished component, nothing the rows leave out (drafts).
    public_ids = {row.pk for row in rows}
    assert set(stored.values_list("object_id", flat=True)) <= public_ids
    every = set(model_class.objects.values_list("pk", flat=True))
    assert every - public_ids, f"{name}: the test needs something that is not public"

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(_page_of(chosen))
    assert page.status_code == 200
    html = page.content.decode()
    assert shown in html.replace("&#x27;", "'"), re.findall(r"\[EN\][^<]*", html)
    assert "?original=1" in html  # the "show the original" link
    original = client.get(_page_of(chosen), {"original": "1"}).content.decode()
    assert shown not in original.replace("&#x27;", "'")


def test_milestones_and_vote_questions_are_translated_too(turned_on):
    from agora.components.accountability.models import Milestone
    from agora.components.votations.models import Question, Votation

    space = factories.SpaceFactory(organization=turned_on)
    factories.PhaseFactory(space=space, is_active=True)
    for name in ("accountability", "votations"):
        _seeded(space, name)
    milestone = Milestone.objects.first()
    question = Question.objects.exclude(votation__state=Votation.State.DRAFT).first()
    in_preparation = Votation.objects.create(component=question.votation.component, title={"fr": "Un parc"})
    draft = Question.objects.create(votation=in_preparation, title={"fr": "Un parc"})
    for model, obj in ((Milestone, milestone), (Question, question), (Question, draft)):
        assert obj is not None, model
        model.objects.filter(pk=obj.pk).update(title={"fr": "Un parc"})
    translate_organization(turned_on)
    texts = {
        f"{each.model}:{each.object_id}": each.text
        for each in MachineTranslation.objects.filter(language="en", field="title")
    }
    assert texts[f"accountability.milestone:{milestone.pk}"] == "[EN] A park"
    assert texts[f"votations.question:{question.pk}"] == "[EN] A park"
    assert f"votations.question:{draft.pk}" not in texts  # a vote in preparation is sent nowhere
