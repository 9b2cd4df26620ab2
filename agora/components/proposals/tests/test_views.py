import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from agora.components.proposals import services
from agora.components.proposals.models import Attachment, Proposal
from agora.testing import factories

from .conftest import configure, phase
from .factories import CustomFieldFactory, ProposalFactory, ProposalStateFactory

BODY = "Installer des arceaux pour les vélos devant la médiathèque municipale."


def url(component, name, **kwargs):
    return reverse(f"proposals:{name}", kwargs={**component.url_kwargs(), **kwargs})


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_filing_flow_draft_similar_publish(client, component, participant, django_capture_on_commit_callbacks):
    existing = ProposalFactory(component=component, title="Des pistes cyclables pour vélos")
    client.force_login(participant)
    response = client.post(url(component, "create"), {"title": "Piste cyclable", "body": BODY})
    proposal = Proposal.objects.get(author=participant)
    assert response.status_code == 302 and response["Location"] == url(component, "preview", proposal_id=proposal.pk)
    page = client.get(response["Location"]).content.decode()
    assert existing.title in page  # similar idea shown, with a support button
    assert url(component, "support", proposal_id=existing.pk) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(component, "publish", proposal_id=proposal.pk))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUBLISHED
    assert client.get(url(component, "detail", proposal_id=proposal.pk)).status_code == 200


def test_a_draft_is_hidden_from_others(client, component, participant, other_participant):
    proposal = ProposalFactory(component=component, author=participant, status=Proposal.Status.DRAFT)
    client.force_login(other_participant)
    assert client.get(url(component, "detail", proposal_id=proposal.pk)).status_code == 404
    assert client.get(url(component, "preview", proposal_id=proposal.pk)).status_code == 404
    assert client.post(url(component, "publish", proposal_id=proposal.pk)).status_code == 404


def test_bad_input_rerenders_with_messages_and_keeps_the_input(client, component, participant):
    configure(component, title_max_length=20, attachments_enabled=True, attachment_kinds="image,pdf")
    CustomFieldFactory(
        component=component, key="age", kind="number", required=True, label={"en": "Your age", "fr": "Votre âge"}
    )
    client.force_login(participant)
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not really a picture", content_type="image/png")
    response = client.post(url(component, "create"), {"title": "T" * 25, "body": BODY, "attachments": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and "T" * 25 in page and "arceaux pour les vélos" in page
    assert "at most 20 characters" in page or "20" in page
    assert 'aria-invalid="true"' in page
    assert not Proposal.objects.exists()
    # The right title now: the file is refused by content, the missing custom field is named.
    fake.seek(0)
    response = client.post(url(component, "create"), {"title": "Arceaux", "body": BODY, "attachments": fake})
    page = response.content.decode()
    assert response.status_code == 400 and "photo.png" in page and "not an accepted file" in page
    assert "This field is required" in page
    assert not Proposal.objects.exists() and not Attachment.objects.exists()


def test_real_attachments_are_kept(client, component, participant):
    configure(component, attachments_enabled=True)
    client.force_login(participant)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    response = client.post(
        url(component, "create"),
        {
            "title": "Arceaux",
            "body": BODY,
            "attachments": [SimpleUploadedFile("devis.docx", docx.getvalue())],
            "picture_1": SimpleUploadedFile("plan.png", png_bytes()),
            "picture_1_alt": "Plan des arceaux",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kinds = sorted(Attachment.objects.values_list("content_type", flat=True))
    assert kinds == ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "image/png"]


def test_refused_pages(client, component, participant, other_participant):
    phase(component, creation_enabled=False, supports="blocked")
    proposal = ProposalFactory(component=component, author=participant)
    client.force_login(other_participant)
    assert client.get(url(component, "create")).status_code == 403
    assert client.post(url(component, "create"), {"title": "x", "body": BODY}).status_code == 403
    assert client.post(url(component, "support", proposal_id=proposal.pk)).status_code == 403
    assert client.get(url(component, "edit", proposal_id=proposal.pk)).status_code == 403
    assert client.post(url(component, "withdraw", proposal_id=proposal.pk)).status_code == 403
    assert not proposal.supports.exists()


def test_anonymous_visitor_cannot_support(client, component):
    """They are sent to log in and come back to the page the button was on."""
    proposal = ProposalFactory(component=component)
    login = reverse("account_login")
    for name in ("support", "unsupport"):
        response = client.post(url(component, name, proposal_id=proposal.pk), {"next": proposal.get_absolute_url()})
        assert response.status_code == 302
        assert response["Location"] == f"{login}?next={quote(proposal.get_absolute_url())}"
    response = client.post(
        url(component, "support", proposal_id=proposal.pk),
        HTTP_REFERER=f"http://testserver{component.get_absolute_url()}?order=recent",
    )
    assert response["Location"] == f"{login}?next={quote(component.get_absolute_url() + '?order=recent')}"
    response = client.post(
        url(component, "support", proposal_id=proposal.pk), HTTP_REFERER="https://elsewhere.example/"
    )  # another site: the ideas' page
    assert response["Location"] == f"{login}?next={quote(component.get_absolute_url())}"
    assert not proposal.supports.exists()


def test_support_from_the_list_shows_remaining(client, component, participant):
    configure(component, supports_limit=3, default_order="recent")
    ideas = ProposalFactory.create_batch(2, component=component)
    client.force_login(participant)
    response = client.post(url(component, "support", proposal_id=ideas[0].pk), {"next": url(component, "index")})
    assert response["Location"] == url(component, "index")
    page = client.get(url(component, "index")).content.decode()
    assert "You have 2 supports left out of 3" in page or "2" in page
    assert url(component, "unsupport", proposal_id=ideas[0].pk) in page


def test_withdrawn_ideas_have_their_own_filter(client, component, participant):
    kept = ProposalFactory(component=component, title="Idée gardée")
    gone = ProposalFactory(component=component, title="Idée retirée", status=Proposal.Status.WITHDRAWN)
    page = client.get(url(component, "index")).content.decode()
    assert kept.title in page and gone.title not in page
    page = client.get(url(component, "index") + "?status=withdrawn").content.decode()
    assert gone.title in page and kept.title not in page


def test_confidential_fields_stay_confidential(client, component, participant, other_participant, org_admin):
    CustomFieldFactory(component=component, key="phone", confidential=True, label={"en": "Phone"})
    CustomFieldFactory(component=component, key="budget", label={"en": "Budget idea"})
    proposal = ProposalFactory(
        component=component, author=participant, custom_values={"phone": "06 12 34 56 78", "budget": "about 5000"}
    )
    detail, embed = url(component, "detail", proposal_id=proposal.pk), url(component, "embed", resource_id=proposal.pk)
    for who in (None, other_participant):
        if who:
            client.force_login(who)
        for page in (detail, embed):
            content = client.get(page).content.decode()
            assert "about 5000" in content and "06 12 34 56 78" not in content
    from agora.components.proposals.hooks import search

    assert all("06 12" not in text for _title, text, _url in search(component))
    for who in (participant, org_admin):
        client.force_login(who)
        assert "06 12 34 56 78" in client.get(detail).content.decode()
        assert "06 12 34 56 78" not in client.get(embed).content.decode()


def test_embed_is_frameable_and_the_rest_is_not(client, component):
    proposal = ProposalFactory(component=component)
    for _ in range(2):  # rendered, then served from the page cache
        embed = client.get(url(component, "embed", resource_id=proposal.pk))
        assert embed.status_code == 200 and "X-Frame-Options" not in embed
        assert "frame-ancestors *" in embed["Content-Security-Policy"]
        assert 'class="site-header"' not in embed.content.decode()
        detail = client.get(url(component, "detail", proposal_id=proposal.pk))
        assert detail["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in detail["Content-Security-Policy"]


def test_filters_and_orders(client, component, participant):
    state = ProposalStateFactory(component=component)
    category = factories.CategoryFactory(organization=component.space.organization)
    first = ProposalFactory(component=component, title="Premier", category=category, supports_count=5)
    second = ProposalFactory(component=component, title="Second", published_state=state)
    mine = ProposalFactory(component=component, title="La mienne", author=participant)
    index = url(component, "index")

    def titles(query):
        page = client.get(index + query).content.decode()
        return [t for t in ("Premier", "Second", "La mienne") if f">{t}</a>" in page]

    assert titles(f"?category={category.pk}") == ["Premier"]
    assert titles(f"?state={state.pk}") == ["Second"]
    assert set(titles("?state=none")) == {"Premier", "La mienne"}
    page = client.get(index + "?order=most_supported").content.decode()
    assert page.index(">Premier<") < page.index(">Second<")
    from agora.comments.services import create_comment

    create_comment(actor=participant, target=first, body="Bonne idée, je soutiens.")
    page = client.get(index + "?order=most_commented").content.decode()
    assert page.index(">Premier<") < page.index(">Second<") and "1 comment" in page
    client.force_login(participant)
    assert titles("?mine=on") == ["La mienne"]
    services.support(actor=participant, proposal=second)
    assert titles("?supported=on") == ["Second"]
    assert mine and first


def test_random_order_is_stable_for_a_visitor(client, component):
    configure(component, per_page=50)
    ProposalFactory.create_batch(20, component=component)
    first = client.get(url(component, "index") + "?order=random").content.decode()
    again = client.get(url(component, "index") + "?order=random").content.decode()
    assert first == again or first.split("proposals-cards")[1] == again.split("proposals-cards")[1]


@pytest.mark.parametrize("page_name", ["index", "detail"])
def test_fixed_number_of_queries(client, component, participant, other_participant, page_name):
    configure(component, per_page=5, support_threshold=10, attachments_enabled=True)
    category = factories.CategoryFactory(organization=component.space.organization)
    CustomFieldFactory(component=component, key="k")
    client.force_login(participant)

    def count(n):
        Proposal.objects.all().delete()
        ideas = ProposalFactory.create_batch(
            n, component=component, category=category, author=other_participant, custom_values={"k": "v"}
        )
        for idea in ideas[: n // 2]:
            services.support(actor=participant, proposal=idea)
            Attachment.objects.create(
                proposal=ideas[0],
                file=f"x{idea.pk}.pdf",
                title="x",
                kind="document",
                content_type="application/pdf",
                size=1,
            )
        target = (
            url(component, "index") + "?order=recent"
            if page_name == "index"
            else url(component, "detail", proposal_id=ideas[0].pk)
        )
        client.get(target)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    small = count(5)
    configure(component, per_page=50)
    assert count(50) == small


def test_map_view_lists_located_ideas(client, component):
    located = ProposalFactory(component=component, title="Ici", latitude="47.5", longitude="1.1", address="Place")
    ProposalFactory(component=component, title="Nulle part")
    page = client.get(url(component, "map")).content.decode()
    assert "map-points" in page and located.get_absolute_url() in page and "Nulle part" not in page


def test_anonymous_visitor_following_file_an_idea_logs_in_first_and_comes_back(client, component):
    phase(component, creation_enabled=True)
    form = url(component, "create")
    response = client.get(form)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(form)}"
    # A form posted after the session ended: log in, then back to the form (the page it was posted from).
    response = client.post(form, {"title": "x", "body": BODY}, HTTP_REFERER=f"http://testserver{form}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(form)}"
    assert not Proposal.objects.exists()
