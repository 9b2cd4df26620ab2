from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agora.actionlog.models import ActionLog
from agora.components.accountability import csv_io, services
from agora.components.accountability.models import Milestone, MilestonePhoto, Result, Status
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.spaces.models import Role
from agora.testing import factories

from .conftest import png_bytes, staff_user
from .factories import MilestoneFactory, ResultFactory, StatusFactory


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"accountability_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


@pytest.fixture
def world(component):
    status = StatusFactory(component=component, token="etude", progress=10)
    result = ResultFactory(component=component, title=tr("Jardin"), status=status, progress=Decimal("10"))
    milestone = MilestoneFactory(result=result)
    photo = MilestonePhoto.objects.create(
        milestone=milestone, image=SimpleUploadedFile("p.png", png_bytes()), alt=tr("Photo")
    )
    return {"status": status, "result": result, "milestone": milestone, "photo": photo}


def all_urls(component, world):
    result, milestone, photo, status = world["result"], world["milestone"], world["photo"], world["status"]
    names = [
        ("index", {}),
        ("create", {}),
        ("bulk_status", {}),
        ("import", {}),
        ("csv_import", {}),
        ("csv_export", {}),
        ("edit", {"result_id": result.pk}),
        ("delete", {"result_id": result.pk}),
        ("milestone_create", {"result_id": result.pk}),
        ("milestone_edit", {"milestone_id": milestone.pk}),
        ("milestone_delete", {"milestone_id": milestone.pk}),
        ("photo_create", {"milestone_id": milestone.pk}),
        ("photo_edit", {"milestonephoto_id": photo.pk}),
        ("photo_delete", {"milestonephoto_id": photo.pk}),
        ("statuses", {}),
        ("status_defaults", {}),
        ("status_create", {}),
        ("status_edit", {"status_id": status.pk}),
        ("status_delete", {"status_id": status.pk}),
    ]
    return [admin_url(component, name, **kwargs) for name, kwargs in names]


def hostile_post():
    return {
        "title__fr": "Piraté",
        "results": [],
        "status": "",
        "token": "x",
        "name__fr": "x",
        "date": "2025-01-01",
        "kind": "proposals",
    }


def test_anonymous_visitors_are_sent_to_login(client, component, world):
    for url in all_urls(component, world):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and "/login" in response["Location"], url


@pytest.mark.parametrize("who", ["participant", "collaborator", "moderator", "evaluator", "other_space_admin"])
def test_people_without_the_right_are_refused_everywhere(client, component, world, participant, who):
    space = component.space
    if who == "participant":
        user = participant
    elif who == "other_space_admin":
        user = staff_user(factories.SpaceFactory(organization=space.organization), Role.Name.SPACE_ADMIN)
    else:
        user = staff_user(
            space,
            {
                "collaborator": Role.Name.COLLABORATOR,
                "moderator": Role.Name.MODERATOR,
                "evaluator": Role.Name.EVALUATOR,
            }[who],
        )
    client.force_login(user)
    for url in all_urls(component, world):
        for method in (client.get, client.post):
            assert method(url, hostile_post()).status_code == 403, (who, url)
    result, milestone, photo, status = world["result"], world["milestone"], world["photo"], world["status"]
    assert Result.objects.get().title == tr("Jardin")
    assert Milestone.objects.count() == 1 and MilestonePhoto.objects.count() == 1 and Status.objects.count() == 1
    refused = [
        lambda: services.create_result(actor=user, component=component, title=tr("X")),
        lambda: services.update_result(actor=user, result=result, title=tr("X")),
        lambda: services.set_progress(actor=user, result=result, progress=50),
        lambda: services.move_result(actor=user, result=result, parent=None),
        lambda: services.delete_result(actor=user, result=result),
        lambda: services.bulk_change_status(actor=user, component=component, results=[result], status=status),
        lambda: services.create_status(actor=user, component=component, token="y", name=tr("Y")),
        lambda: services.update_status(actor=user, status=status, token="y", name=tr("Y")),
        lambda: services.delete_status(actor=user, status=status),
        lambda: services.create_default_statuses(actor=user, component=component),
        lambda: services.create_milestone(actor=user, result=result, date=milestone.date, title=tr("X")),
        lambda: services.update_milestone(actor=user, milestone=milestone, date=milestone.date, title=tr("X")),
        lambda: services.delete_milestone(actor=user, milestone=milestone),
        lambda: services.add_photo(
            actor=user, milestone=milestone, image=SimpleUploadedFile("p.png", png_bytes()), alt=tr("X")
        ),
        lambda: services.update_photo(actor=user, photo=photo, alt=tr("X")),
        lambda: services.delete_photo(actor=user, photo=photo),
        lambda: services.import_proposals(actor=user, component=component, source=component),
        lambda: services.import_projects(actor=user, component=component, source=component),
        lambda: csv_io.import_csv(actor=user, component=component, data="reference,title_fr,title_en\nA,B,C\n"),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()


def test_the_admin_of_another_organization_finds_nothing(client, component, world, other_organization):
    other_admin = factories.UserFactory()
    factories.member_of(other_admin, other_organization)
    Role.objects.create(user=other_admin, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    client.force_login(other_admin)
    for url in all_urls(component, world):
        assert client.get(url, HTTP_HOST="other.example.org").status_code == 404, url


def test_space_admin_and_org_admin_open_every_screen(client, component, world, space_admin, org_admin):
    post_only = {admin_url(component, "bulk_status"), admin_url(component, "status_defaults")}
    for user in (space_admin, org_admin):
        client.force_login(user)
        for url in all_urls(component, world):
            expected = 405 if url in post_only else 200
            assert client.get(url).status_code == expected, url


def result_data(**extra):
    return {
        "title__fr": "Jardin partagé",
        "title__en": "",
        "description__fr": "<p>Texte</p><script>x()</script>",
        "description__en": "",
        "status": "",
        "progress": "",
        "parent": "",
        "category": "",
        "scope": "",
        "start_date": "2025-03-01",
        "end_date": "2025-09-30",
        "address": "Parc des Tilleuls",
        "latitude": "47.9",
        "longitude": "1.9",
        "reference": "",
        "weight": "0",
        **extra,
    }


def test_space_admin_creates_edits_and_deletes_a_result(client, component, space_admin):
    works = StatusFactory(component=component, token="travaux", progress=50)
    client.force_login(space_admin)
    response = client.post(admin_url(component, "create"), result_data(status=works.pk))
    assert response.status_code == 302
    result = Result.objects.get()
    assert result.description == {"fr": "<p>Texte</p>"}
    assert result.progress == Decimal("50.00") and result.status == works
    assert ActionLog.objects.filter(verb="accountability.result_created", component=component).exists()

    response = client.post(
        admin_url(component, "edit", result_id=result.pk), result_data(status=works.pk, progress="65")
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.progress == Decimal("65.00")
    assert ActionLog.objects.filter(verb="accountability.result_updated").exists()

    assert client.post(admin_url(component, "delete", result_id=result.pk)).status_code == 302
    assert not Result.objects.exists()
    assert ActionLog.objects.filter(verb="accountability.result_deleted").exists()


@pytest.mark.parametrize("progress", ["-5", "101", "abc"])
def test_a_bad_progress_is_refused_and_the_form_keeps_the_input(client, component, space_admin, progress):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    response = client.post(admin_url(component, "create"), result_data(progress=progress))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'value="Jardin partagé"' in html
    assert not Result.objects.exists()


def test_end_before_start_is_refused(client, component, space_admin):
    client.force_login(space_admin)
    response = client.post(admin_url(component, "create"), result_data(start_date="2025-09-01", end_date="2025-01-01"))
    assert response.status_code == 200 and not Result.objects.exists()


def test_bulk_status_change_from_the_list(client, component, space_admin):
    done = StatusFactory(component=component, token="fait", progress=100)
    results = [ResultFactory(component=component) for _ in range(3)]
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "bulk_status"), {"results": [results[0].pk, results[1].pk], "status": done.pk}
    )
    assert response.status_code == 302
    assert sorted(Result.objects.filter(status=done).values_list("pk", flat=True)) == [results[0].pk, results[1].pk]
    assert Result.objects.get(pk=results[0].pk).progress == Decimal("100.00")
    assert ActionLog.objects.filter(verb="accountability.status_changed", visibility="public").count() == 2
    assert ActionLog.objects.filter(verb="accountability.bulk_status_changed").exists()


def test_bulk_status_change_ignores_results_of_another_component(client, component, space_admin, process):
    done = StatusFactory(component=component, token="fait", progress=100)
    elsewhere = ResultFactory(component=factories.ComponentFactory(space=process, manifest_name="accountability"))
    client.force_login(space_admin)
    client.post(admin_url(component, "bulk_status"), {"results": [elsewhere.pk], "status": done.pk})
    elsewhere.refresh_from_db()
    assert elsewhere.status is None


def test_statuses_defaults_create_edit_delete(client, component, space_admin):
    client.force_login(space_admin)
    assert client.post(admin_url(component, "status_defaults")).status_code == 302
    assert list(Status.objects.filter(component=component).values_list("token", flat=True)) == [
        "en-etude",
        "travaux-en-cours",
        "realise",
        "abandonne",
    ]
    response = client.post(
        admin_url(component, "status_create"),
        {
            "name__fr": "Livré",
            "name__en": "Delivered",
            "token": "livre",
            "progress": "100",
            "description__fr": "",
            "description__en": "",
            "weight": "9",
        },
    )
    assert response.status_code == 302
    response = client.post(
        admin_url(component, "status_create"), {"name__fr": "Trop", "token": "trop", "progress": "120", "weight": "0"}
    )
    assert response.status_code == 200 and not Status.objects.filter(token="trop").exists()
    response = client.post(
        admin_url(component, "status_create"), {"name__fr": "Double", "token": "livre", "weight": "0"}
    )
    assert response.status_code == 200 and Status.objects.filter(token="livre").count() == 1
    status = Status.objects.get(token="livre")
    assert client.post(admin_url(component, "status_delete", status_id=status.pk)).status_code == 302
    assert not Status.objects.filter(token="livre").exists()
    assert ActionLog.objects.filter(verb="accountability.status_deleted").exists()


def test_milestones_and_photos(client, component, space_admin):
    result = ResultFactory(component=component)
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "milestone_create", result_id=result.pk),
        {"date": "2025-05-02", "title__fr": "Début des travaux", "description__fr": "<p>Ok</p>"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    image = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(
        admin_url(component, "photo_create", milestone_id=milestone.pk),
        {"image": image, "alt__fr": "Les pelleteuses sur la place"},
    )
    assert response.status_code == 302
    photo = MilestonePhoto.objects.get()
    assert photo.alt == {"fr": "Les pelleteuses sur la place"}
    assert ActionLog.objects.filter(verb="accountability.photo_added").exists()
    response = client.post(admin_url(component, "photo_edit", milestonephoto_id=photo.pk), {"alt__fr": "Autre"})
    assert response.status_code == 302
    assert client.post(admin_url(component, "photo_delete", milestonephoto_id=photo.pk)).status_code == 302
    assert client.post(admin_url(component, "milestone_delete", milestone_id=milestone.pk)).status_code == 302
    assert not Milestone.objects.exists()


def test_a_photo_needs_a_description_and_real_image_content(client, component, space_admin):
    milestone = MilestoneFactory(result=ResultFactory(component=component))
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    image = SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png")
    response = client.post(admin_url(component, "photo_create", milestone_id=milestone.pk), {"image": image})
    assert response.status_code == 200 and "Describe the photo" in response.content.decode()
    fake = SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(
        admin_url(component, "photo_create", milestone_id=milestone.pk), {"image": fake, "alt__fr": "x"}
    )
    assert response.status_code == 200 and "not a picture we can read" in response.content.decode()
    assert not MilestonePhoto.objects.exists()
    with pytest.raises(ValidationError, match="Describe the photo"):
        services.add_photo(actor=space_admin, milestone=milestone, image=image, alt={})


def test_objects_of_another_component_are_not_found(client, component, space_admin, process):
    other = factories.ComponentFactory(space=process, manifest_name="accountability")
    result = ResultFactory(component=other)
    milestone = MilestoneFactory(result=result)
    status = StatusFactory(component=other)
    client.force_login(space_admin)
    for name, kwargs in (
        ("edit", {"result_id": result.pk}),
        ("milestone_edit", {"milestone_id": milestone.pk}),
        ("status_edit", {"status_id": status.pk}),
    ):
        assert client.get(admin_url(component, name, **kwargs)).status_code == 404


def test_csv_export_from_the_backoffice_guards_formulas(client, component, space_admin):
    ResultFactory(component=component, title=tr("=cmd|' /C calc'!A0"), reference="R1")
    client.force_login(space_admin)
    response = client.get(admin_url(component, "csv_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|" in text and ",=cmd" not in text


def test_csv_import_screen_lists_line_numbered_errors(client, component, space_admin):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    data = "reference,title_fr,title_en,progress\nA,Bon,,10\nB,,,300\n"
    upload = SimpleUploadedFile("r.csv", data.encode(), content_type="text/csv")
    response = client.post(admin_url(component, "csv_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "Line 3" in html
    assert not Result.objects.exists()
    upload = SimpleUploadedFile("r.csv", b"reference,title_fr,title_en\nA,Bon,Good\n", content_type="text/csv")
    assert client.post(admin_url(component, "csv_import"), {"file": upload}).status_code == 302
    assert Result.objects.get().title == {"fr": "Bon", "en": "Good"}
