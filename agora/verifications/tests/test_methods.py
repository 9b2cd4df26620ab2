"""One end-to-end test per method, through the participant's pages."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from agora.testing import factories
from agora.verifications import services
from agora.verifications.models import CensusEntry, Identity, Verification
from agora.verifications.selectors import verified_attributes

CENSUS = (
    "nom;prenom;date_naissance;code_postal;quartier\n"
    "Zébulon-Dupré;Éloïse;21/05/1987;45400;NORD\n"
    "Martin;Jean;2009-03-02;45000;\n"
)


@pytest.fixture
def census(organization, org_admin, enable, district):
    enable(
        "census",
        census={
            "columns": {
                "last_name": "nom",
                "first_name": "prenom",
                "birth_date": "date_naissance",
                "postal_code": "code_postal",
                "district": "quartier",
            }
        },
    )
    assert services.import_census_csv(actor=org_admin, organization=organization, data=CENSUS.encode()) == 2


def _active(user, organization, method):
    return Verification.objects.get(user=user, organization=organization, method=method, status="active")


def test_census_end_to_end(client, organization, participant, census, district):
    client.force_login(participant)
    response = client.post(
        "/verifications/census/",
        {"last_name": "  zebulon dupre ", "first_name": "ELOISE", "birth_date": "1987-05-21", "next": "/somewhere/"},
    )
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    verification = _active(participant, organization, "census")
    assert (verification.birth_date, verification.postal_code, verification.scope) == (
        date(1987, 5, 21),
        "45400",
        district,
    )
    attributes = verified_attributes(participant, organization)
    assert attributes.scope_id == district.pk and "census" in attributes.methods


def test_census_refuses_unknown_people_on_the_page(client, participant, census):
    client.force_login(participant)
    response = client.post(
        "/verifications/census/", {"last_name": "Inconnu", "first_name": "Jean", "birth_date": "1987-05-21"}
    )
    assert response.status_code == 200
    assert "Personne dans le recensement" in response.content.decode()


def test_census_keeps_hashes_not_names(organization, census):
    """The raw names are nowhere in the database."""
    assert CensusEntry.objects.filter(organization=organization).count() == 2
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            dump = repr(cursor.fetchall()).lower()
            for name in ("zébulon", "zebulon", "éloïse", "eloise"):
                assert name not in dump, (table, name)


def test_census_upload_is_all_or_nothing_with_line_numbers(client, organization, org_admin, census):
    client.force_login(org_admin)
    client.cookies["agora_language"] = "en"
    bad = "nom,prenom,date_naissance,quartier\nA,B,1990-01-01,\nC,,1990-01-01,\nE,F,1990-13-45,ZZZ\n"
    response = client.post(
        "/admin/verifications/census/",
        {"upload": "1", "file": SimpleUploadedFile("c.csv", bad.encode()), "mode": "add", "token": "t1"},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 3" in html and "Line 4" in html and "ZZZ" in html
    assert CensusEntry.objects.filter(organization=organization).count() == 2  # unchanged


def test_same_identity_cannot_verify_a_second_account(client, organization, org_admin, participant, census):
    services.verify_by_census(
        user=participant, organization=organization, last_name="Martin", first_name="Jean", birth_date=date(2009, 3, 2)
    )
    other = factories.UserFactory()
    factories.member_of(other, organization)
    client.force_login(other)
    client.post("/verifications/census/", {"last_name": "MARTIN", "first_name": "jean", "birth_date": "2009-03-02"})
    conflict = Verification.objects.get(user=other, method="census")
    assert conflict.status == "conflict"
    assert verified_attributes(other, organization).methods == frozenset()
    # The same person at a desk (another channel) does not get a second vote either.
    third = factories.UserFactory()
    desk = services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=third,
        last_name="Martin",
        first_name="Jean",
        birth_date=date(2009, 3, 2),
    )
    assert desk.status == "conflict"
    assert Identity.objects.filter(organization=organization).count() == 1
    # The officer transfers the identity to the new account.
    client.force_login(org_admin)
    response = client.post(f"/admin/verifications/conflicts/{conflict.pk}/transfer/")
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == "active"
    assert Verification.objects.get(user=participant, method="census").status == "revoked"
    assert Identity.objects.get(organization=organization).user == other


def test_the_database_refuses_a_second_holder(organization, participant):
    from django.db import IntegrityError, transaction

    Identity.objects.create(organization=organization, key="k" * 64, user=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Identity.objects.create(organization=organization, key="k" * 64, user=factories.UserFactory())


def test_postal_letter_end_to_end(client, organization, org_admin, participant, enable, district):
    enable("letter")
    client.force_login(participant)
    response = client.post(
        "/verifications/letter/",
        {
            "request": "1",
            "letter-full_name": "Jeanne Martin",
            "letter-address": "3 rue des Lilas",
            "letter-postal_code": "45400",
            "letter-city": "Fleury",
            "letter-scope": district.pk,
        },
    )
    assert response.status_code == 302
    client.force_login(org_admin)
    page = client.get("/admin/verifications/letters/").content.decode()
    assert "3 rue des Lilas" in page
    export = client.get("/admin/verifications/letters/export/").content.decode("utf-8-sig")
    code = export.splitlines()[1].split(",")[-1]
    letter = Verification.objects.get(user=participant, method="letter")
    client.post("/admin/verifications/letters/", {"letter": [letter.pk]})
    letter.refresh_from_db()
    assert letter.data["sent_at"] and "code" not in letter.data  # the clear code is forgotten once printed
    client.force_login(participant)
    wrong = client.post("/verifications/letter/", {"confirm": "1", "code-code": "WRONG123"})
    assert wrong.status_code == 200 and "4" in wrong.content.decode()
    response = client.post("/verifications/letter/", {"confirm": "1", "code-code": code.lower()})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "active" and letter.postal_code == "45400" and letter.scope == district
    assert "address" not in letter.data  # the address is erased


def test_letter_code_attempts_are_limited(organization, participant, enable):
    from django.core.exceptions import ValidationError

    enable("letter")
    services.request_letter(
        user=participant, organization=organization, full_name="J", address="1 rue", postal_code="45000", city="Orléans"
    )
    for _attempt in range(services.MAX_CODE_ATTEMPTS + 1):
        with pytest.raises(ValidationError):
            services.confirm_letter(user=participant, organization=organization, code="NOPE")
    assert Verification.objects.get(user=participant, method="letter").status == "rejected"


def test_sms_end_to_end(client, organization, participant, enable, outbox):
    enable("sms")
    client.force_login(participant)
    response = client.post("/verifications/sms/", {"send": "1", "sms-phone": "06 12 34 56 78"})
    assert response.status_code == 302
    assert outbox[0]["to"] == "+33612345678"
    code = re.search(r"\b(\d{6})\b", outbox[0]["text"]).group(1)
    verification = Verification.objects.get(user=participant, method="sms")
    assert "0612345678" not in repr(verification.data) and "+33612345678" not in repr(verification.data)
    response = client.post("/verifications/sms/", {"confirm": "1", "code-code": code})
    assert response.status_code == 302
    assert _active(participant, organization, "sms").identity is not None


def test_sms_confirms_an_account_instead_of_email(organization, participant, enable):
    from allauth.account.models import EmailAddress

    from agora.permissions import can

    EmailAddress.objects.filter(user=participant).update(verified=False)
    assert not can(participant, "participate", organization)
    enable("sms")
    services.send_sms_code(user=participant, organization=organization, phone="0612345678")
    from agora.verifications.sms import LocmemBackend

    code = re.search(r"\b(\d{6})\b", LocmemBackend.outbox[-1]["text"]).group(1)
    services.confirm_sms_code(user=participant, organization=organization, code=code)
    assert can(participant, "participate", organization)


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_identity_document_end_to_end_and_scan_deleted(client, organization, org_admin, participant, enable, settings):
    enable("document")
    client.force_login(participant)
    response = client.post(
        "/verifications/document/",
        {
            "last_name": "Durand",
            "first_name": "Paul",
            "birth_date": "1970-02-03",
            "postal_code": "45400",
            "document": SimpleUploadedFile("passeport-paul-durand.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    verification = Verification.objects.get(user=participant, method="document")
    assert "durand" not in verification.document.name.lower()
    stored = settings.AGORA_PRIVATE_MEDIA_ROOT / verification.document.name
    assert stored.exists()
    client.force_login(org_admin)
    assert client.get(f"/admin/verifications/documents/{verification.pk}/file/").status_code == 200
    response = client.post(f"/admin/verifications/documents/{verification.pk}/", {"accept": "1"})
    assert response.status_code == 302
    verification.refresh_from_db()
    assert verification.status == "active" and verification.birth_date == date(1970, 2, 3)
    assert not verification.document and verification.data == {}


@pytest.mark.django_db(transaction=True)
def test_rejected_scan_is_deleted_from_storage(client, organization, org_admin, participant, enable, settings):
    enable("document")
    verification = services.submit_document(
        user=participant,
        organization=organization,
        last_name="Durand",
        first_name="Paul",
        birth_date=date(1970, 2, 3),
        document=SimpleUploadedFile("x.png", _png()),
    )
    stored = settings.AGORA_PRIVATE_MEDIA_ROOT / verification.document.name
    assert stored.exists()
    services.decide_document(actor=org_admin, verification=verification, accept=False, reason="Illisible")
    assert not stored.exists()
    verification.refresh_from_db()
    assert verification.status == "rejected" and verification.reason == "Illisible"


def test_documents_are_checked_by_content(organization, participant, enable):
    from django.core.exceptions import ValidationError

    enable("document")
    with pytest.raises(ValidationError):
        services.submit_document(
            user=participant,
            organization=organization,
            last_name="A",
            first_name="B",
            birth_date=date(1970, 1, 1),
            document=SimpleUploadedFile("scan.pdf", b"<script>alert(1)</script>"),
        )
    pdf = services.submit_document(
        user=participant,
        organization=organization,
        last_name="A",
        first_name="B",
        birth_date=date(1970, 1, 1),
        document=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert pdf.document.name.endswith(".pdf")


def test_methods_not_offered_are_not_found(client, participant):
    client.force_login(participant)
    for url in (
        "/verifications/census/",
        "/verifications/letter/",
        "/verifications/sms/",
        "/verifications/document/",
        "/verifications/oidc/",
    ):
        assert client.get(url).status_code == 404


def test_anonymous_visitors_log_in_first(client, organization):
    response = client.get("/verifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_index_lists_the_methods(client, participant, enable):
    enable("census", "sms")
    client.force_login(participant)
    client.cookies["agora_language"] = "en"
    html = client.get("/verifications/").content.decode()
    assert "/verifications/census/" in html and "/verifications/sms/" in html and "/verifications/letter/" not in html


def test_officer_revokes_and_the_identity_becomes_free(client, organization, org_admin, participant):
    verification = services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=participant,
        last_name="Roux",
        first_name="Ana",
        birth_date=date(1980, 1, 1),
    )
    client.force_login(org_admin)
    assert "Roux" not in client.get("/admin/verifications/verified/").content.decode()
    response = client.post(f"/admin/verifications/verified/{verification.pk}/revoke/", {"reason": "Erreur"})
    assert response.status_code == 302
    verification.refresh_from_db()
    assert verification.status == "revoked" and verification.identity is None
    assert not Identity.objects.filter(organization=organization).exists()
    other = factories.UserFactory()
    again = services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=other,
        last_name="Roux",
        first_name="Ana",
        birth_date=date(1980, 1, 1),
    )
    assert again.status == "active"


def test_unfinished_verifications_are_purged(organization, participant, enable, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    enable("letter")
    letter = services.request_letter(
        user=participant, organization=organization, full_name="J", address="1 rue", postal_code="45000", city="Orléans"
    )
    Verification.objects.filter(pk=letter.pk).update(
        created_at=timezone.now() - timedelta(days=settings.AGORA_VERIFICATION_PENDING_DAYS + 1)
    )
    call_command("purge_verifications")
    letter.refresh_from_db()
    assert letter.status == "rejected" and letter.data == {}
