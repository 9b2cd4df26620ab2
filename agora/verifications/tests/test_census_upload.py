"""Census uploads: replace or add (an explicit choice, a confirmation with
the numbers before replacing), progress polled by the page, and a file sent
twice imported once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agora.actionlog.models import ActionLog
from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications import census
from agora.verifications.models import CensusEntry, CensusUpload

COLUMNS = {"last_name": "nom", "first_name": "prenom", "birth_date": "date_naissance", "postal_code": "code_postal"}
FIRST = "nom;prenom;date_naissance;code_postal\nMartin;Jean;2009-03-02;45000\nDurand;Léa;1990-01-01;45000\n"
SECOND = (
    "nom;prenom;date_naissance;code_postal\nMartin;Jean;2009-03-02;45100\n"
    "Petit;Lucas;1985-05-05;45000\nRoux;Anna;1970-07-07;45000\n"
)
URL = "/admin/verifications/census/"


@pytest.fixture
def admin(client, organization, org_admin, enable):
    enable("census", census={"columns": COLUMNS})
    census.import_census_csv(actor=org_admin, organization=organization, data=FIRST.encode())
    client.force_login(org_admin)
    client.cookies["agora_language"] = "en"
    return client


def _send(client, text, mode, token="token-1", **extra):
    return client.post(
        URL,
        {"upload": "1", "file": SimpleUploadedFile("census.csv", text.encode()), "mode": mode, "token": token, **extra},
    )


def _postal_codes(organization):
    return sorted(CensusEntry.objects.filter(organization=organization).values_list("postal_code", flat=True))


def test_the_form_asks_replace_or_add_and_has_a_token(admin, organization):
    html = admin.get(URL).content.decode()
    assert 'name="mode"' in html and 'value="replace"' in html and 'value="add"' in html
    assert "checked" not in html.split('name="mode"', 1)[1].split("</fieldset>", 1)[0]  # no default: a choice
    assert 'name="token"' in html and "data-submit-once" in html
    response = admin.post(URL, {"upload": "1", "file": SimpleUploadedFile("c.csv", SECOND.encode()), "token": "t"})
    assert response.status_code == 200
    assert "Choose whether the file replaces the census or adds to it." in response.content.decode()
    assert not CensusUpload.objects.filter(token="t").exists()


def test_replacing_shows_the_numbers_then_waits_for_the_confirmation(admin, organization, org_admin):
    response = _send(admin, SECOND, "replace")
    upload = CensusUpload.objects.get(token="token-1")
    assert response.url == reverse("verifications_admin:census_upload", args=[upload.pk])
    assert upload.status == "waiting" and upload.lines == 3 and upload.file
    html = admin.get(response.url).content.decode()
    assert "The census holds 2 people now." in html and "The file has 3 lines of people." in html
    assert "Replace the census with the 3 lines of the file" in html
    assert CensusEntry.objects.filter(organization=organization).count() == 2  # nothing changed yet

    admin.post(response.url, {"confirm": "1"})
    upload.refresh_from_db()
    assert upload.status == "done" and upload.rows == 3 and upload.census_before == 2 and not upload.file
    assert _postal_codes(organization) == ["45000", "45000", "45100"]
    html = admin.get(response.url).content.decode()
    assert "The census has been replaced: 3 people." in html
    assert "hx-trigger" not in html  # finished: no more polling
    entry = ActionLog.objects.get(verb="verification.census_imported", target_id=str(upload.pk))
    assert entry.actor == org_admin and entry.data["rows"] == 3

    # Confirming again (double click, resent page) does nothing more.
    admin.post(response.url, {"confirm": "1"})
    assert ActionLog.objects.filter(verb="verification.census_imported", target_id=str(upload.pk)).count() == 1


def test_adding_keeps_the_census_and_updates_who_is_in_both(admin, organization):
    response = _send(admin, SECOND, "add")
    upload = CensusUpload.objects.get(token="token-1")
    assert upload.status == "done" and upload.rows == 3 and upload.added == 2 and upload.census_before == 2
    assert CensusEntry.objects.filter(organization=organization).count() == 4
    assert _postal_codes(organization) == ["45000", "45000", "45000", "45100"]  # Jean Martin moved to 45100
    html = admin.get(response.url).content.decode()
    assert "3 lines read: 2 people added to the census, the others were already in it." in html
    assert ActionLog.objects.filter(verb="verification.census_added").count() == 1


def test_the_same_form_sent_twice_is_one_upload(admin, organization):
    first = _send(admin, SECOND, "add", token="same")
    second = _send(admin, SECOND, "add", token="same")
    assert first.url == second.url
    assert CensusUpload.objects.filter(organization=organization, token="same").count() == 1
    assert ActionLog.objects.filter(verb="verification.census_added").count() == 1
    assert CensusEntry.objects.filter(organization=organization).count() == 4


def test_a_wrong_line_changes_nothing_and_lists_the_lines(admin, organization):
    bad = "nom;prenom;date_naissance\nA;B;1990-01-01\nC;;1990-01-01\nE;F;1990-13-45\n"
    response = _send(admin, bad, "replace")
    admin.post(response.url, {"confirm": "1"})
    upload = CensusUpload.objects.get(token="token-1")
    assert upload.status == "failed" and not upload.file
    html = admin.get(response.url).content.decode()
    assert "Line 3: the first name is empty" in html and "Line 4" in html
    assert _postal_codes(organization) == ["45000", "45000"]


def test_missing_columns_are_said_at_once(admin, organization):
    response = _send(admin, "name;surname\nA;B\n", "add")
    assert response.status_code == 200
    assert "Missing columns: nom, prenom, date_naissance." in response.content.decode()
    assert not CensusUpload.objects.filter(token="token-1").exists()


def test_the_progress_is_polled_while_it_runs(admin, organization, org_admin):
    upload = CensusUpload.objects.create(
        organization=organization, uploaded_by=org_admin, mode="replace", status="checking", lines=2000, processed=500
    )
    url = reverse("verifications_admin:census_upload", args=[upload.pk])
    fragment = admin.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="census-progress"') and 'hx-trigger="every 2s"' in fragment
    assert 'value="25"' in fragment and "500 of 2,000 lines" in fragment
    assert "<html" not in fragment
    assert 'role="status"' in fragment


def test_cancel_and_stale_replacements_delete_the_file(admin, organization):
    response = _send(admin, SECOND, "replace")
    upload = CensusUpload.objects.get(token="token-1")
    admin.post(response.url, {"cancel": "1"})
    upload.refresh_from_db()
    assert upload.status == "cancelled" and not upload.file
    admin.post(response.url, {"confirm": "1"})  # too late: nothing happens
    upload.refresh_from_db()
    assert upload.status == "cancelled"

    _send(admin, SECOND, "replace", token="token-2")
    stale = CensusUpload.objects.get(token="token-2")
    CensusUpload.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=2))
    admin.get(URL)
    stale.refresh_from_db()
    assert stale.status == "cancelled" and not stale.file
    assert CensusEntry.objects.filter(organization=organization).count() == 2


def test_a_task_run_twice_imports_once(admin, organization, org_admin):
    assert _send(admin, SECOND, "add").status_code == 302
    upload = CensusUpload.objects.get(token="token-1")
    assert census.run_census_import(upload.pk) == "done"  # already done: nothing more
    assert ActionLog.objects.filter(verb="verification.census_added").count() == 1


def test_only_organization_admins_upload_or_confirm(client, organization, org_admin, process, enable):
    enable("census", census={"columns": COLUMNS})
    upload = CensusUpload.objects.create(
        organization=organization, uploaded_by=org_admin, mode="replace", status="waiting", lines=3
    )
    space_admin = factories.UserFactory()
    factories.member_of(space_admin, organization)
    Role.objects.create(user=space_admin, organization=organization, space=process, name=Role.Name.SPACE_ADMIN)
    client.force_login(space_admin)
    assert _send(client, SECOND, "add").status_code == 403
    url = reverse("verifications_admin:census_upload", args=[upload.pk])
    assert client.post(url, {"confirm": "1"}).status_code == 403
    assert client.get(url).status_code == 403
    upload.refresh_from_db()
    assert upload.status == "waiting"
    assert not CensusUpload.objects.filter(token="token-1").exists()
