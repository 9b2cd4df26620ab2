"""Machine translation (issue 22, section 4): backends, the worker, pages with
"show the original", officers' translations first, failures lose nothing."""

import pytest
import requests

from agora.comments import services as comment_services
from agora.components.news.tests.factories import PostFactory
from agora.components.proposals.models import Proposal
from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory
from agora.core import machine_translation, outgoing, services
from agora.core.machine_translation import (
    DeepLBackend,
    LibreTranslateBackend,
    LocalBackend,
    TranslationError,
    translate_organization,
)
from agora.core.models import MachineTranslation
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.permissions import PermissionDenied
from agora.testing import factories


@pytest.fixture(autouse=True)
def _local_backend(settings):
    settings.AGORA_TRANSLATION_BACKEND = "local"


@pytest.fixture
def turned_on(organization):
    organization.machine_translation = True
    organization.save()
    return organization


@pytest.fixture
def ideas(process):
    return ProposalsComponentFactory(space=process)


def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_local_backend_is_deterministic_and_keeps_tags():
    backend = LocalBackend()
    assert backend.translate(["Des arbres dans la rue"], source="fr", target="en") == ["[EN] Some trees in the street"]
    assert backend.translate(["<p>Un parc</p>"], source="fr", target="en", html=True) == ["<p>[EN] A park</p>"]


def test_published_ideas_are_translated_and_shown_with_the_original_one_click_away(client, settings, turned_on, ideas):
    idea = ProposalFactory(component=ideas, title="Des arbres dans la rue", body="Un jardin pour l'école.")
    report = translate_organization(turned_on)
    assert report.translated == 2 and report.failed == 0
    stored = MachineTranslation.objects.get(object_id=idea.pk, field="title", language="en")
    assert stored.text == "[EN] Some trees in the street" and stored.source_language == "fr"
    idea.refresh_from_db()
    assert idea.title == "Des arbres dans la rue"  # the original is never touched
    page = english(client, settings).get(idea.get_absolute_url()).content.decode()
    assert "[EN] Some trees in the street" in page and "Machine translated." in page
    assert f'href="{idea.get_absolute_url()}?original=1"' in page
    original = client.get(idea.get_absolute_url() + "?original=1").content.decode()
    assert "<h1>Des arbres dans la rue</h1>" in original and "[EN]" not in original and "Original text." in original
    # French readers read the original, with no note
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(idea.get_absolute_url()).content.decode()
    assert "[EN]" not in french and "machine-translated" not in french
    # a second run sends nothing again
    assert translate_organization(turned_on).translated == 0


def test_nothing_is_translated_or_shown_when_the_organization_did_not_turn_it_on(client, settings, organization, ideas):
    idea = ProposalFactory(component=ideas, title="Un parc")
    assert translate_organization(organization).translated == 0
    MachineTranslation.objects.create(
        organization=organization,
        model="proposals.proposal",
        object_id=idea.pk,
        field="title",
        language="en",
        source_language="fr",
        source_hash=machine_translation.Source("fr", "Un parc").hash,
        text="[EN] A park",
    )
    assert "[EN] A park" not in english(client, settings).get(idea.get_absolute_url()).content.decode()


def test_officers_translations_always_win(client, settings, turned_on, process):
    news = factories.ComponentFactory(space=process, manifest_name="news")
    post = PostFactory(
        component=news,
        title={"fr": "Le parc rouvre", "en": "The park reopens (officer)"},
        body={"fr": "<p>Samedi matin.</p>"},
    )
    translate_organization(turned_on)
    assert not MachineTranslation.objects.filter(object_id=post.pk, field="title").exists()
    assert MachineTranslation.objects.filter(object_id=post.pk, field="body", language="en").exists()
    page = english(client, settings).get(post.get_absolute_url()).content.decode()
    assert "The park reopens (officer)" in page and "[EN] The park" not in page
    assert "[EN] Samedi matin." in page  # the body, which the officer did not translate


def test_a_changed_original_is_translated_again_and_never_shown_stale(client, settings, turned_on, ideas):
    idea = ProposalFactory(component=ideas, title="Un parc")
    translate_organization(turned_on)
    Proposal.objects.filter(pk=idea.pk).update(title="Une école")
    page = english(client, settings).get(idea.get_absolute_url()).content.decode()
    assert "[EN] A park" not in page and "Une école" in page
    assert translate_organization(turned_on).translated == 1
    assert MachineTranslation.objects.get(object_id=idea.pk, field="title").text == "[EN] A school"


def test_a_failing_backend_loses_nothing(client, settings, turned_on, ideas, monkeypatch):
    first = ProposalFactory(component=ideas, title="Un parc")
    translate_organization(turned_on)
    kept = MachineTranslation.objects.get(object_id=first.pk, field="title")
    ProposalFactory(component=ideas, title="Une école")
    Proposal.objects.filter(pk=first.pk).update(body="Autre texte")
    monkeypatch.setattr(LocalBackend, "fail", True)
    report = translate_organization(turned_on)
    assert report.failed == 3 and report.translated == 0  # the new idea (title, body), the changed body
    assert MachineTranslation.objects.get(pk=kept.pk).text == kept.text  # nothing lost
    assert MachineTranslation.objects.count() == 2
    monkeypatch.setattr(LocalBackend, "fail", False)
    assert translate_organization(turned_on).translated == 3  # the next run catches up


def test_hidden_and_draft_content_is_never_sent(turned_on, ideas, org_admin):
    hidden = ProposalFactory(component=ideas, title="Cachée")
    draft = ProposalFactory(component=ideas, title="Brouillon", status=Proposal.Status.DRAFT)
    hide_content(actor=org_admin, obj=hidden)
    translate_organization(turned_on)
    assert not MachineTranslation.objects.filter(object_id__in=[hidden.pk, draft.pk], model="proposals.proposal")


def test_comments_are_translated(client, settings, turned_on, ideas, participant):
    idea = ProposalFactory(component=ideas)
    comment_services.create_comment(actor=participant, target=idea, body="Un jardin avec des arbres")
    translate_organization(turned_on)
    page = english(client, settings).get(idea.get_absolute_url()).content.decode()
    assert "[EN] A garden with some trees" in page


def test_only_the_organizations_admins_turn_it_on(organization, participant, org_admin):
    with pytest.raises(PermissionDenied):
        services.update_organization(actor=participant, organization=organization, values={"machine_translation": True})
    organization.refresh_from_db()
    assert not organization.machine_translation
    services.update_organization(actor=org_admin, organization=organization, values={"machine_translation": True})
    organization.refresh_from_db()
    assert organization.machine_translation


class FakeResponse:
    def __init__(self, data):
        self.data = data

    def json(self):
        return self.data


def test_deepl_backend(settings, monkeypatch):
    settings.AGORA_DEEPL_KEY = "secret:fx"
    sent = {}

    def post(url, **kwargs):
        sent.update(url=url, **kwargs)
        return FakeResponse({"translations": [{"text": "A park"}, {"text": "A school"}]})

    monkeypatch.setattr(outgoing, "safe_post", post)
    assert DeepLBackend().translate(["Un parc", "Une école"], source="fr", target="en") == ["A park", "A school"]
    assert sent["headers"] == {"Authorization": "DeepL-Auth-Key secret:fx"} and sent["timeout"] > 0
    assert sent["json"]["target_lang"] == "EN-GB" and sent["json"]["source_lang"] == "FR"

    def down(url, **kwargs):
        raise outgoing.OutgoingRequestError("The server did not answer in time.")

    monkeypatch.setattr(outgoing, "safe_post", down)
    with pytest.raises(TranslationError, match="did not answer"):
        DeepLBackend().translate(["Un parc"], source="fr", target="en")
    monkeypatch.setattr(outgoing, "safe_post", lambda url, **kw: FakeResponse({"unexpected": 1}))
    with pytest.raises(TranslationError):
        DeepLBackend().translate(["Un parc"], source="fr", target="en")
    settings.AGORA_DEEPL_KEY = ""
    with pytest.raises(TranslationError, match="AGORA_DEEPL_KEY"):
        DeepLBackend().translate(["Un parc"], source="fr", target="en")


def test_libretranslate_backend(settings, monkeypatch):
    settings.AGORA_LIBRETRANSLATE_URL = "https://translate.example.org/translate"
    monkeypatch.setattr(outgoing, "safe_post", lambda url, **kw: FakeResponse({"translatedText": ["A park"]}))
    assert LibreTranslateBackend().translate(["Un parc"], source="fr", target="en") == ["A park"]

    def refused(url, **kwargs):
        raise outgoing.OutgoingRequestError("refused")

    monkeypatch.setattr(outgoing, "safe_post", refused)
    with pytest.raises(TranslationError):
        LibreTranslateBackend().translate(["Un parc"], source="fr", target="en")
    monkeypatch.setattr(outgoing, "safe_post", lambda url, **kw: (_ for _ in ()).throw(requests.ConnectionError()))
    with pytest.raises(requests.ConnectionError):  # only the guard's errors are expected from safe_post
        LibreTranslateBackend().translate(["Un parc"], source="fr", target="en")


def test_html_from_a_service_is_sanitized(turned_on, process, monkeypatch):
    news = factories.ComponentFactory(space=process, manifest_name="news")
    post = PostFactory(component=news, title=tr("Titre"), body={"fr": "<p>Texte</p>"})
    monkeypatch.setattr(
        LocalBackend,
        "translate",
        lambda self, texts, **kw: ['<p onclick="x()">Text<script>alert(1)</script></p>'] * len(texts),
    )
    translate_organization(turned_on)
    stored = MachineTranslation.objects.get(object_id=post.pk, field="body", model="news.post").text
    assert "script" not in stored and "onclick" not in stored and "Text" in stored
