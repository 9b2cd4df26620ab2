import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agora.actionlog.models import ActionLog
from agora.comments.models import Comment
from agora.components.debates import services
from agora.components.debates.forms import DebateForm
from agora.components.debates.models import Debate, DebateLike
from agora.components.debates.tests.conftest import other_participant
from agora.components.registry import registry
from agora.core.translations import tr
from agora.moderation.services import hide_content
from agora.permissions import PermissionDenied
from agora.taxonomy.models import Category, Scope
from agora.testing import factories

MANIFEST = registry["debates"]


def url(component, name="index", **kwargs):
    return reverse(f"debates:{name}", kwargs={**component.url_kwargs(), **kwargs})


def test_the_list_filters_by_state_category_and_scope(client, component, organization):
    mobility = Category.objects.create(organization=organization, name=tr("Mobilités"))
    centre = Scope.objects.create(organization=organization, name=tr("Centre"), code="C")
    now = timezone.now()
    Debate.objects.create(component=component, title=tr("Ouvert mobilité"), category=mobility, scope=centre)
    Debate.objects.create(component=component, title=tr("Débat futur"), starts_at=now + timedelta(days=3))
    Debate.objects.create(component=component, title=tr("Débat terminé"), closed_at=now, conclusions=tr("<p>Fin</p>"))
    html = client.get(url(component)).content.decode()
    assert "Ouvert mobilité" in html and "Débat futur" in html and "Débat terminé" in html
    html = client.get(url(component) + "?state=open").content.decode()
    assert "Ouvert mobilité" in html and "Débat futur" not in html and "Débat terminé" not in html
    html = client.get(url(component) + "?state=closed").content.decode()
    assert "Débat terminé" in html and "Ouvert mobilité" not in html
    html = client.get(url(component) + f"?category={mobility.pk}").content.decode()
    assert "Ouvert mobilité" in html and "Débat futur" not in html
    html = client.get(url(component) + f"?scope={centre.pk}&state=upcoming").content.decode()
    assert "Ouvert mobilité" not in html and "Débat futur" not in html and "empty-state" in html
    # Nonsense in the query string never fails.
    assert client.get(url(component) + "?state=nope&category=abc&page=zz").status_code == 200


def test_the_list_paginates_and_its_queries_do_not_grow_with_the_page(client, component, participant):
    component.settings = {"debates_per_page": 5}
    component.save()
    for n in range(6):
        debate = Debate.objects.create(component=component, title=tr(f"Débat {n}"))
        Comment.objects.create(
            content_type_id=_type(),
            object_id=debate.pk,
            organization=component.space.organization,
            space=component.space,
            component=component,
            author=participant,
            body="x",
            alignment=1,
        )
    client.get(url(component))  # warm the caches of the first request
    with CaptureQueriesContext(connection) as few:
        first = client.get(url(component)).content.decode()
    assert "Page 1" in first and first.count('class="card"') == 5
    component.settings = {"debates_per_page": 6}
    component.save()
    client.get(url(component))
    with CaptureQueriesContext(connection) as more:
        client.get(url(component))
    assert len(more) == len(few)


def _type():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Debate).pk


def test_the_debate_page_shows_the_summary_updates_and_comment_form(client, debate, participant, org_admin):
    services.add_information(actor=org_admin, debate=debate, body=tr("<p>Comptage : 1 240 vélos</p>"))
    other = other_participant(debate.component.space.organization)
    comment = Comment.objects.create(
        content_type_id=_type(),
        object_id=debate.pk,
        organization=debate.component.space.organization,
        space=debate.component.space,
        component=debate.component,
        author=other,
        body="Oui, pour les enfants.",
        alignment=1,
        up_count=2,
    )
    client.force_login(participant)
    client.cookies["agora_language"] = "en"
    html = client.get(debate.get_absolute_url()).content.decode()
    assert "Where the debate stands" in html and "Most supported argument for" in html
    assert f'href="#comment-{comment.pk}"' in html and "Comptage" in html
    assert 'name="alignment"' in html  # comments always take a position here
    assert "Close the debate" not in html  # neither the author nor the organization


def test_a_closed_debate_stays_readable_without_a_comment_form(client, debate, org_admin, participant):
    services.close_debate(actor=org_admin, debate=debate, conclusions=tr("<p>On teste six mois.</p>"))
    client.force_login(participant)
    client.cookies["agora_language"] = "en"
    html = client.get(debate.get_absolute_url()).content.decode()
    assert "On teste six mois." in html and "Conclusions" in html
    assert "This debate is closed" in html and 'name="body"' not in html


def test_a_hidden_debate_is_hidden_on_every_read_path(client, component, debate, org_admin, moderator, participant):
    kept = Debate.objects.create(component=component, title=tr("Gardé"), description=tr("<p>Visible</p>"))
    hide_content(actor=org_admin, obj=debate)
    client.force_login(participant)
    assert client.get(debate.get_absolute_url()).status_code == 404
    assert "piétonne" not in client.get(url(component)).content.decode()
    assert {title for title, _text, _url in MANIFEST.hook(MANIFEST.search)(component)} == {"Gardé"}
    assert [row["id"] for row in MANIFEST.hook(MANIFEST.open_data[0].rows)(component)] == [kept.pk]
    assert "piétonne" not in MANIFEST.hook(MANIFEST.exports["csv"])(component).content.decode()
    assert MANIFEST.hook(MANIFEST.stats)(component)[0][1] == 1
    client.force_login(moderator)
    client.cookies["agora_language"] = "en"
    response = client.get(debate.get_absolute_url())
    assert response.status_code == 200 and "Moderators hid this debate" in response.content.decode()


def test_the_export_has_figures_and_no_personal_data(component, open_to_participants):
    author = factories.UserFactory(email="secret@example.org", name="Jeanne Martin")
    factories.member_of(author, component.space.organization)
    debate = services.create_debate(
        actor=author, component=component, title="Une vélo-école ?", description="Des cours pour les adultes le samedi."
    )
    Comment.objects.create(
        content_type_id=_type(),
        object_id=debate.pk,
        organization=component.space.organization,
        space=component.space,
        component=component,
        author=author,
        body="x",
        alignment=-1,
    )
    response = MANIFEST.hook(MANIFEST.exports["csv"])(component)
    content = response.content.decode()
    assert "secret@example.org" not in content
    row = next(csv.DictReader(io.StringIO(content)))
    assert (row["title"], row["against"], row["comments"], row["state"]) == ("Une vélo-école ?", "1", "1", "open")
    assert row["opened_by"] == author.public_name


def test_a_participant_opens_a_debate_from_the_page(client, open_to_participants, participant):
    component = open_to_participants
    client.force_login(participant)
    client.cookies["agora_language"] = "en"
    assert "Open a debate" in client.get(url(component)).content.decode()
    assert client.get(url(component, "create")).status_code == 200
    response = client.post(url(component, "create"), {"title": "Gardé", "description": "court"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'value="Gardé"' in html
    response = client.post(
        url(component, "create"), {"title": "Une vélo-école ?", "description": "Des cours pour les adultes le samedi."}
    )
    debate = Debate.objects.get()
    assert response.status_code == 302 and response["Location"] == debate.get_absolute_url()


def test_opening_a_debate_is_refused_when_the_component_does_not_allow_it(client, component, participant):
    client.force_login(participant)
    assert client.get(url(component, "create")).status_code == 403
    assert client.post(url(component, "create"), {"title": "X", "description": "y" * 20}).status_code == 403
    assert not Debate.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in_to_open_a_debate(client, open_to_participants):
    response = client.get(url(open_to_participants, "create"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_author_closes_their_debate_from_its_page_and_others_are_refused(
    client, open_to_participants, participant, organization
):
    debate = services.create_debate(
        actor=participant,
        component=open_to_participants,
        title="Une vélo-école ?",
        description="Des cours pour les adultes le samedi.",
    )
    stranger = other_participant(organization)
    client.force_login(stranger)
    close_url = url(open_to_participants, "close", debate_id=debate.pk)
    assert client.get(close_url).status_code == 403
    assert client.post(close_url, {"conclusions": "Non"}).status_code == 403
    client.force_login(participant)
    assert "close/" in client.get(debate.get_absolute_url()).content.decode()
    assert client.post(close_url, {"conclusions": ""}).status_code == 400
    response = client.post(close_url, {"conclusions": "On lance la vélo-école en mai."})
    assert response.status_code == 302
    debate.refresh_from_db()
    assert debate.closed_at and "vélo-école en mai" in debate.conclusions["fr"]


def test_a_debate_of_another_component_or_organization_is_not_reachable(client, component, debate, other_organization):
    other = factories.ComponentFactory(space=component.space, manifest_name="debates")
    assert client.get(url(other, "detail", debate_id=debate.pk)).status_code == 404
    assert client.get(debate.get_absolute_url(), HTTP_HOST="other.example.org").status_code == 404


@pytest.mark.parametrize("kind", ["process", "assembly"])
def test_the_seed_makes_argued_debates_one_closed_with_conclusions(organization, kind):
    from agora.components.debates import selectors
    from agora.spaces.models import Space

    for _n in range(5):
        factories.member_of(factories.UserFactory(), organization)
    space = factories.SpaceFactory(
        organization=organization, kind=Space.Kind.PROCESS if kind == "process" else Space.Kind.ASSEMBLY
    )
    component = factories.ComponentFactory(space=space, manifest_name="debates")
    MANIFEST.hook(MANIFEST.seed)(component)
    debates = list(Debate.objects.filter(component=component))
    assert len(debates) == 3
    closed = [d for d in debates if d.closed_at]
    assert len(closed) == 1 and closed[0].conclusions["fr"] and closed[0].conclusions["en"]
    street = next(d for d in debates if d.official and not d.closed_at)
    summary = selectors.summary(street)
    assert summary.for_count >= 2 and summary.against_count >= 2 and summary.best_for and summary.best_against
    assert street.updates.exists() and street.is_open
    assert any(not d.official and d.author for d in debates)


def test_the_author_edits_their_debate_until_it_is_closed_and_others_are_refused(
    client, open_to_participants, participant, organization, org_admin, debate
):
    """As in Decidim: the author edits while the debate is not closed, comments or not."""
    mine = services.create_debate(
        actor=participant,
        component=open_to_participants,
        title="Une vélo-école ?",
        description="Des cours pour les adultes.\n\nLe samedi matin.",
    )
    edit_url = url(open_to_participants, "edit", debate_id=mine.pk)
    sent = {"title": "Une vélo-école pour adultes ?", "description": "Des cours pour les adultes, le samedi."}
    # Anonymous visitors are sent to log in; another participant and the organization's admin are refused.
    response = client.get(edit_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    for other in (other_participant(organization), org_admin):
        client.force_login(other)
        assert client.get(edit_url).status_code == 403
        assert client.post(edit_url, sent).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_debate(actor=org_admin, debate=mine, title="Autre", description="Un autre texte assez long.")
    # An official debate is not edited here.
    client.force_login(org_admin)
    assert client.get(url(open_to_participants, "edit", debate_id=debate.pk)).status_code == 403

    client.force_login(participant)
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "edit/" in page
    form = client.get(edit_url).content.decode()
    assert "Le samedi matin." in form and "&lt;p&gt;" not in form and "<p>Des cours" not in form
    bad = client.post(edit_url, {"title": "", "description": "court"})
    assert bad.status_code == 400 and "court" in bad.content.decode()
    assert client.post(edit_url, sent).status_code == 302
    mine.refresh_from_db()
    assert mine.title == {"fr": "Une vélo-école pour adultes ?"} and "le samedi." in mine.description["fr"]
    assert ActionLog.objects.filter(verb="debates.debate_updated", actor=participant).count() == 1

    # Closed: no more edits (the page hides the button, the form and the service refuse).
    services.close_debate(actor=participant, debate=mine, conclusions=tr("<p>Fin.</p>"))
    assert "edit/" not in client.get(mine.get_absolute_url()).content.decode()
    assert client.get(edit_url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_debate(actor=participant, debate=mine, title="Encore", description="Un texte assez long.")


def test_participants_like_a_debate_once_and_the_counts_show(client, component, debate, participant, organization):
    client.cookies["agora_language"] = "en"
    detail = debate.get_absolute_url()
    like_url = url(component, "like", debate_id=debate.pk)
    client.force_login(participant)
    assert "I like this debate" in client.get(detail).content.decode()
    assert client.get(like_url).status_code == 405  # a change is a POST
    assert client.post(like_url).status_code == 302
    assert client.post(like_url).status_code == 302  # a second click: still one like
    assert not services.like(actor=participant, debate=debate)
    assert DebateLike.objects.filter(debate=debate).count() == 1
    other = other_participant(organization)
    services.like(actor=other, debate=debate)
    html = client.get(detail).content.decode()
    assert "2 people like this debate." in html and "You like it: take it back" in html
    assert "2 likes" in client.get(url(component)).content.decode()
    assert client.post(like_url, {"undo": "1"}).status_code == 302
    assert list(DebateLike.objects.values_list("person", flat=True)) == [other.pk]
    assert ActionLog.objects.filter(verb="debates.unliked", actor=participant).count() == 1


def test_likes_are_refused_to_anonymous_visitors_and_when_not_open(
    client, component, debate, participant, org_admin, moderator, process
):
    client.cookies["agora_language"] = "en"
    like_url = url(component, "like", debate_id=debate.pk)
    response = client.post(like_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    with pytest.raises(PermissionDenied):
        services.like(actor=AnonymousUser(), debate=debate)
    assert "I like this debate" not in client.get(debate.get_absolute_url()).content.decode()
    client.force_login(participant)
    # The phase closes likes.
    phase = factories.PhaseFactory(space=process, is_active=True)
    component.phase_settings = {str(phase.pk): {"likes_enabled": False}}
    component.save()
    assert client.post(like_url).status_code == 403
    assert "I like this debate" not in client.get(debate.get_absolute_url()).content.decode()
    component.phase_settings = {}
    component.save()
    # A closed debate takes no more likes (nor takes them back).
    services.like(actor=participant, debate=debate)
    services.close_debate(actor=org_admin, debate=debate, conclusions=tr("<p>Fin.</p>"))
    assert client.post(like_url, {"undo": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.like(actor=org_admin, debate=debate)
    # A debate the moderators hid cannot be liked.
    hidden = Debate.objects.create(component=component, title=tr("Caché"))
    hide_content(actor=moderator, obj=hidden)
    with pytest.raises(PermissionDenied):
        services.like(actor=participant, debate=hidden)
    assert DebateLike.objects.count() == 1


def test_the_scope_filter_is_named_as_everywhere_in_each_language(client, component, organization):
    """The label of the scope filter is the project's word for a scope in each
    language: "Périmètre" in French (as the core and the ideas say), "Scope" in
    English; the debates' own catalogue says the same (it said "Territoire",
    which the merged catalogues never showed, so the page mixed both words)."""
    Scope.objects.create(organization=organization, name=tr("Centre"), code="C")
    french = client.get(url(component)).content.decode()
    assert '<label for="id_scope">Périmètre' in french and "erritoire" not in french
    client.cookies["agora_language"] = "en"
    english = client.get(url(component)).content.decode()
    assert '<label for="id_scope">Scope' in english and "Périmètre" not in english
    with translation.override("fr"):
        assert str(DebateForm(organization=organization).fields["scope"].label) == "Périmètre"
        with pytest.raises(ValidationError) as refused:
            services._check_taxonomy(
                component,
                None,
                Scope.objects.create(organization=factories.OrganizationFactory(), name=tr("Ailleurs"), code="A"),
            )
        assert refused.value.message_dict == {"scope": ["Choisissez un des périmètres proposés."]}


def test_the_like_button_is_the_button_part(client, component, debate, participant):
    client.cookies["agora_language"] = "en"
    client.force_login(participant)
    html = client.get(debate.get_absolute_url()).content.decode()
    likes = html[html.index('id="likes"') :]
    assert re.search(r'<button type="submit" class="button button-secondary">\s*<svg[^>]*>.*?#badge-check', likes, re.S)
    assert "<span>I like this debate</span>" in likes
    services.like(actor=participant, debate=debate)
    likes = client.get(debate.get_absolute_url()).content.decode()
    assert re.search(
        r'<button type="submit" class="button button-secondary" name="undo" value="1">.*?'
        r"<span>You like it: take it back</span>",
        likes,
        re.S,
    )
