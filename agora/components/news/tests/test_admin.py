import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agora.actionlog.models import ActionLog
from agora.components.news import services
from agora.components.news.models import Post
from agora.components.news.tests.factories import PostFactory
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories


@pytest.fixture
def component(process):
    return factories.ComponentFactory(space=process, manifest_name="news")


@pytest.fixture
def post(component):
    return PostFactory(component=component, title=tr("Lancement"))


@pytest.fixture
def space_admin(component):
    user = factories.RoleFactory(space=component.space, name=Role.Name.SPACE_ADMIN).user
    factories.member_of(user, component.space.organization)
    return user


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"news_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def form_data(**extra):
    return {
        "title__fr": "Nouvelle",
        "title__en": "",
        "body__fr": "<p>Texte</p>",
        "body__en": "",
        "image_alt__fr": "",
        "image_alt__en": "",
        "official": "on",
        "published_at": "",
        **extra,
    }


def all_urls(component, post):
    return [
        ("get", admin_url(component)),
        ("get", admin_url(component, "create")),
        ("post", admin_url(component, "create")),
        ("get", admin_url(component, "edit", post_id=post.pk)),
        ("post", admin_url(component, "edit", post_id=post.pk)),
        ("get", admin_url(component, "delete", post_id=post.pk)),
        ("post", admin_url(component, "delete", post_id=post.pk)),
    ]


def test_anonymous_visitors_are_sent_to_login(client, component, post):
    for method, url in all_urls(component, post):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert Post.objects.count() == 1


@pytest.mark.parametrize("who", ["participant", "other_space_admin", "moderator"])
def test_people_without_the_right_are_refused(client, component, post, participant, who):
    if who == "participant":
        user = participant
    else:
        space = (
            factories.SpaceFactory(organization=component.space.organization)
            if who == "other_space_admin"
            else component.space
        )
        name = Role.Name.SPACE_ADMIN if who == "other_space_admin" else Role.Name.MODERATOR
        user = factories.RoleFactory(space=space, name=name).user
        factories.member_of(user, component.space.organization)
    client.force_login(user)
    for method, url in all_urls(component, post):
        assert getattr(client, method)(url, form_data(title__fr="Piraté")).status_code == 403, (who, url)
    assert list(Post.objects.values_list("title", flat=True)) == [tr("Lancement")]
    with pytest.raises(PermissionDenied):
        services.create_post(actor=user, component=component, title=tr("X"), body={})
    with pytest.raises(PermissionDenied):
        services.update_post(
            actor=user, post=post, title=tr("X"), body={}, official=True, image_alt={}, published_at=None
        )
    with pytest.raises(PermissionDenied):
        services.delete_post(actor=user, post=post)


def test_admin_of_another_organization_cannot_reach_this_component(client, component, other_organization):
    other_admin = factories.UserFactory()
    factories.member_of(other_admin, other_organization)
    Role.objects.create(user=other_admin, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    client.force_login(other_admin)
    # From B's host, A's component does not exist.
    assert client.get(admin_url(component), HTTP_HOST="other.example.org").status_code == 404


def test_space_admin_creates_a_draft_then_publishes_it(client, component, space_admin):
    client.force_login(space_admin)
    assert client.get(admin_url(component)).status_code == 200
    assert client.get(admin_url(component, "create")).status_code == 200
    response = client.post(admin_url(component, "create"), form_data(body__fr="<p>Texte</p><script>x()</script>"))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.published_at is None and post.author == space_admin
    assert post.body == {"fr": "<p>Texte</p>"}
    assert not ActionLog.objects.filter(verb="news.post_published").exists()

    response = client.post(admin_url(component, "edit", post_id=post.pk), form_data(publish_now="1"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.is_published
    log = ActionLog.objects.get(verb="news.post_published")
    assert (log.visibility, log.component, log.actor) == ("public", component, space_admin)

    # Saving it again does not announce it twice.
    client.post(
        admin_url(component, "edit", post_id=post.pk),
        form_data(published_at=timezone.localtime(post.published_at).strftime("%Y-%m-%dT%H:%M")),
    )
    assert ActionLog.objects.filter(verb="news.post_published").count() == 1

    assert client.post(admin_url(component, "delete", post_id=post.pk)).status_code == 302
    assert not Post.objects.exists()
    assert ActionLog.objects.filter(verb="news.post_deleted", component=component).exists()


def test_a_scheduled_post_is_not_announced_publicly(component, space_admin):
    services.create_post(
        actor=space_admin,
        component=component,
        title=tr("Plus tard"),
        body={},
        published_at=timezone.now() + timedelta(days=2),
    )
    assert not ActionLog.objects.filter(visibility="public").exists()
    assert ActionLog.objects.filter(verb="news.post_scheduled").exists()


def test_a_real_image_is_accepted_with_its_description(client, component, space_admin):
    client.force_login(space_admin)
    image = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(
        admin_url(component, "create"), form_data(image=image, image_alt__fr="Une place plantée d'arbres")
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.image.name.endswith(".png")
    assert post.image_alt == {"fr": "Une place plantée d'arbres"}
    post.published_at = timezone.now()
    post.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'src="{post.image.url[:-4]}.w4.webp"' in html and 'alt="Une place plantée d&#x27;arbres"' in html


def test_a_fake_image_is_refused_with_a_clear_message(client, component, space_admin):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    fake = SimpleUploadedFile("photo.png", b"this is plain text, not a picture", content_type="image/png")
    response = client.post(
        admin_url(component, "create"), form_data(image=fake, image_alt__fr="Photo", title__fr="Gardé")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This file is not a picture we can read" in html
    assert 'class="error-summary"' in html
    assert 'value="Gardé"' in html  # what was typed is kept
    assert not Post.objects.exists()


def test_the_service_refuses_a_fake_image_too(component, space_admin):
    fake = SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.create_post(
            actor=space_admin, component=component, title=tr("X"), body={}, image=fake, image_alt=tr("X")
        )


def test_an_image_too_large_is_refused(client, component, space_admin, settings):
    settings.AGORA_MAX_IMAGE_BYTES = 50
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    image = SimpleUploadedFile("photo.png", png_bytes((64, 64)), content_type="image/png")
    response = client.post(admin_url(component, "create"), form_data(image=image, image_alt__fr="Photo"))
    assert response.status_code == 200 and "This image is too large" in response.content.decode()


def test_an_image_needs_a_description(client, component, space_admin):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    image = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(admin_url(component, "create"), form_data(image=image))
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()


def test_invalid_date_is_reported_not_a_crash(client, component, space_admin):
    client.force_login(space_admin)
    response = client.post(admin_url(component, "create"), form_data(published_at="31/02/2026 99:99"))
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()


def test_post_of_another_component_cannot_be_edited_through_this_one(client, component, space_admin):
    elsewhere = PostFactory(component=factories.ComponentFactory(space=component.space, manifest_name="news"))
    client.force_login(space_admin)
    assert client.get(admin_url(component, "edit", post_id=elsewhere.pk)).status_code == 404
    assert client.post(admin_url(component, "delete", post_id=elsewhere.pk)).status_code == 404
    assert Post.objects.filter(pk=elsewhere.pk).exists()


def test_editing_keeps_replaces_or_removes_the_image(
    client, component, space_admin, django_capture_on_commit_callbacks
):
    client.force_login(space_admin)
    first = SimpleUploadedFile("first.png", png_bytes(), content_type="image/png")
    client.post(admin_url(component, "create"), form_data(image=first, image_alt__fr="Première"))
    post = Post.objects.get()
    first_name = post.image.name
    storage = post.image.storage
    edit = admin_url(component, "edit", post_id=post.pk)
    assert first_name in client.get(edit).content.decode()

    client.post(edit, form_data(image_alt__fr="Toujours là", title__fr="Renommée"))
    post.refresh_from_db()
    assert (post.image.name, post.title) == (first_name, {"fr": "Renommée"})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            form_data(
                image=SimpleUploadedFile("second.png", png_bytes(), content_type="image/png"), image_alt__fr="Seconde"
            ),
        )
    post.refresh_from_db()
    assert post.image.name != first_name and not storage.exists(first_name)

    second_name = post.image.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form_data(**{"image-clear": "on"}))
    post.refresh_from_db()
    assert not post.image and not storage.exists(second_name)
