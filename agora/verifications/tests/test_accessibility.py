"""axe-core on the verification, desk and eligibility pages (browser, slow)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.desk import services as desk_services
from agora.e2e.crawl import crawl
from agora.e2e.session import log_in_as
from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications import services
from agora.verifications.models import EnabledMethod

from .test_methods import _png

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_axe_violation(page, live_server, transactional_db, language):  # noqa: F811
    organization = factories.OrganizationFactory(host="localhost", name="Ville")
    factories.TermsVersionFactory(organization=organization, version=1)
    admin = factories.UserFactory()
    factories.member_of(admin, organization)
    Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    participant = factories.UserFactory()
    factories.member_of(participant, organization)
    for method in ("census", "letter", "sms", "document"):
        EnabledMethod.objects.create(organization=organization, method=method)
    services.request_letter(
        user=participant,
        organization=organization,
        full_name="Jeanne",
        address="1 rue",
        postal_code="45000",
        city="Orléans",
    )
    document = services.submit_document(
        user=participant,
        organization=organization,
        last_name="C",
        first_name="D",
        birth_date=date(1990, 1, 1),
        document=SimpleUploadedFile("x.png", _png()),
    )
    managed = desk_services.create_managed_participant(
        actor=admin,
        organization=organization,
        public_name="Odette L.",
        last_name="L",
        first_name="O",
        birth_date=date(1941, 1, 1),
        accepted_terms=True,
    )
    page.context.add_cookies([{"name": "agora_language", "value": language, "url": live_server.url}])

    log_in_as(page, live_server, participant)
    violations, errors, _visited = crawl(
        page, live_server.url, ["/verifications/"], within=("/verifications/",), max_pages=12
    )
    assert not violations and not errors, (violations, errors)

    log_in_as(page, live_server, admin)
    start = [
        "/admin/verifications/",
        f"/admin/verifications/documents/{document.pk}/",
        "/admin/desk/",
        f"/admin/desk/people/{managed.user_id}/",
    ]
    violations, errors, _visited = crawl(
        page, live_server.url, start, within=("/admin/verifications/", "/admin/desk/"), max_pages=25
    )
    assert not violations and not errors, (violations, errors)

    # The assisted-mode banner.
    page.goto(f"{live_server.url}/admin/desk/people/{managed.user_id}/")
    page.get_by_role("button", name="Odette L.").click()
    page.locator(".desk-banner").wait_for()  # the click returns before the next page has loaded
    violations, errors, _visited = crawl(page, live_server.url, ["/"], within=("/nothing-else",), max_pages=1)
    assert not violations and not errors, (violations, errors)
