"""Volunteers register themselves in a pool through the form made from its features
(agora.questionnaires): once per person, eligible people only, consent required, the
answers becoming the volunteer's feature values, confidential to the staff and erased
with the account."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agora.accounts.services import delete_account
from agora.components.sortitions import hooks, services
from agora.components.sortitions.models import Volunteer
from agora.components.sortitions.tests.conftest import QUOTAS
from agora.permissions import PermissionDenied
from agora.questionnaires.models import AnswerSet
from agora.verifications.models import EligibilityRule


def public_url(component, name, **kwargs):
    space = component.space
    return reverse(
        f"sortitions:{name}",
        kwargs={"space_kind": space.url_prefix, "space_slug": space.slug, "component_id": component.pk, **kwargs},
    )


def admin_url(component, name, **kwargs):
    return reverse(
        f"sortitions_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


@pytest.fixture
def pool(component, space_admin):
    sortition = services.create_sortition(
        actor=space_admin, component=component, title="Panel", panel_size=8, one_per_household=True, algorithm="leximin"
    )
    services.set_quotas(actor=space_admin, sortition=sortition, text=QUOTAS)
    return services.set_registration(actor=space_admin, sortition=sortition, is_open=True)


def answers(sortition, gender="f", age="young", contact="me@example.org", consent=True):
    mapping = sortition.registration_map
    wanted = {"gender": gender, "age": age}
    data = {"page": "0", "go": "submit", f"q{mapping['contact']}": contact}
    for question_id, entry in mapping["features"].items():
        option = next(pk for pk, value in entry["options"].items() if value == wanted[entry["feature"]])
        data[f"q{question_id}"] = option
    if consent:
        data[f"q{mapping['consent']}"] = str(mapping["consent_option"])
    return data


def test_the_form_asks_each_feature_with_its_values(pool):
    features = {
        entry["feature"]: sorted(entry["options"].values()) for entry in pool.registration_map["features"].values()
    }
    assert features == {"age": ["old", "young"], "gender": ["f", "m"]}
    assert pool.questionnaire.owner_type == "sortitions.sortition"


def test_a_participant_registers_once_and_the_answers_become_values(client, component, pool, participant):
    client.force_login(participant)
    page = client.get(public_url(component, "volunteer", sortition_id=pool.pk))
    assert page.status_code == 200 and "gender" in page.content.decode()
    response = client.post(public_url(component, "volunteer", sortition_id=pool.pk), answers(pool, "m", "old"))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(sortition=pool, user=participant)
    assert volunteer.values == {"gender": "m", "age": "old"}
    assert volunteer.contact == "me@example.org"
    again = client.post(public_url(component, "volunteer", sortition_id=pool.pk), answers(pool))
    assert again.status_code == 302
    assert Volunteer.objects.filter(sortition=pool, user=participant).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.register_volunteer(actor=participant, sortition=pool, values={})
    assert refused.value.code == "already"


def test_the_consent_is_required(client, component, pool, participant):
    client.force_login(participant)
    response = client.post(public_url(component, "volunteer", sortition_id=pool.pk), answers(pool, consent=False))
    assert response.status_code == 400
    assert not Volunteer.objects.filter(user=participant).exists()
    assert not AnswerSet.objects.filter(questionnaire=pool.questionnaire).exists()


def test_anonymous_and_ineligible_people_are_refused(client, component, pool, participant):
    response = client.post(public_url(component, "volunteer", sortition_id=pool.pk), answers(pool))
    assert response.status_code in (302, 403) and not Volunteer.objects.exists()
    EligibilityRule.objects.create(component=component, action="volunteer", min_age=18)
    client.force_login(participant)
    response = client.post(public_url(component, "volunteer", sortition_id=pool.pk), answers(pool))
    assert response.status_code == 403 and not Volunteer.objects.exists()
    with pytest.raises(PermissionDenied):
        services.register_volunteer(actor=participant, sortition=pool, values={})


def test_registration_closes_with_the_officer_or_the_draw(client, component, pool, participant, space_admin):
    services.set_registration(actor=space_admin, sortition=pool, is_open=False)
    pool.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.register_volunteer(actor=participant, sortition=pool, values={})
    with pytest.raises(PermissionDenied):
        services.set_registration(actor=participant, sortition=pool, is_open=True)
    client.force_login(participant)
    refused = client.post(admin_url(component, "registration", sortition_id=pool.pk), {"open": "1"})
    assert refused.status_code == 403
    pool.refresh_from_db()
    assert not pool.registration_open


def test_contact_and_answers_are_for_the_staff_only(client, component, pool, participant, space_admin):
    services.register_volunteer(
        actor=participant, sortition=pool, values=_values(pool, contact="secret-contact@example.org")
    )
    client.force_login(participant)
    public = client.get(public_url(component, "detail", sortition_id=pool.pk)).content.decode()
    bundle = client.get(public_url(component, "bundle", sortition_id=pool.pk)).content.decode()
    assert "secret-contact" not in public and "secret-contact" not in bundle
    assert "secret-contact" not in json.dumps(list(hooks.open_data_draws(component)))
    client.force_login(space_admin)
    staff = client.get(admin_url(component, "sortition", sortition_id=pool.pk)).content.decode()
    assert "secret-contact@example.org" in staff


def _values(sortition, contact="me@example.org"):
    data = answers(sortition, contact=contact)
    return {
        int(key[1:]): (value if int(key[1:]) == sortition.registration_map["contact"] else {"option": int(value)})
        for key, value in data.items()
        if key.startswith("q")
    }


def test_the_volunteer_is_erased_with_the_account(pool, participant):
    services.register_volunteer(actor=participant, sortition=pool, values=_values(pool))
    assert [row for _name, rows in hooks.personal_data(participant) for row in rows]
    delete_account(user=participant)
    assert not Volunteer.objects.filter(sortition=pool).exists()
    assert not AnswerSet.objects.filter(questionnaire=pool.questionnaire).exists()


def test_the_officer_corrects_the_form_texts_and_participants_cannot(client, component, pool, participant, space_admin):
    question_id = int(next(iter(pool.registration_map["features"])))
    client.force_login(participant)
    assert client.get(admin_url(component, "form_questions", sortition_id=pool.pk)).status_code == 403
    assert (
        client.get(
            admin_url(component, "form_question_edit", sortition_id=pool.pk, question_id=question_id)
        ).status_code
        == 403
    )
    client.force_login(space_admin)
    page = client.get(admin_url(component, "sortition", sortition_id=pool.pk)).content.decode()
    assert admin_url(component, "form_questions", sortition_id=pool.pk) in page
    listing = client.get(admin_url(component, "form_questions", sortition_id=pool.pk))
    assert listing.status_code == 200 and "gender" in listing.content.decode()
    edit = client.get(admin_url(component, "form_question_edit", sortition_id=pool.pk, question_id=question_id))
    assert edit.status_code == 200


IMPORTED = "id,gender,age,name\nA1,f,old,Ana\nA2,m,young,Ben\n"


def test_importing_a_file_keeps_the_volunteers_who_registered_through_the_form(
    client, component, pool, participant, space_admin
):
    registered = services.register_volunteer(actor=participant, sortition=pool, values=_values(pool))
    first = services.import_volunteers(actor=space_admin, sortition=pool, text=IMPORTED)
    assert first == services.ImportResult(added=2, updated=0, kept=1, removed=0)
    # the same ids update, new ones are added, the registered volunteer stays as she was
    second = services.import_volunteers(
        actor=space_admin, sortition=pool, text="id,gender,age,name\nA2,f,old,Ben B.\nA3,m,old,Chloé\n"
    )
    assert second == services.ImportResult(added=1, updated=1, kept=1, removed=0)
    assert sorted(pool.volunteers.values_list("ref", flat=True)) == sorted(["A1", "A2", "A3", registered.ref])
    assert pool.volunteers.get(ref="A2").values == {"gender": "f", "age": "old"}
    kept = Volunteer.objects.get(pk=registered.pk)
    assert kept.user == participant and kept.answer_set_id == registered.answer_set_id
    # asked to, imported volunteers the file no longer lists leave; the registered one never does
    third = services.import_volunteers(
        actor=space_admin, sortition=pool, text="id,gender,age\nA3,m,old\n", remove_missing=True
    )
    assert third == services.ImportResult(added=0, updated=1, kept=1, removed=2)
    assert sorted(pool.volunteers.values_list("ref", flat=True)) == sorted(["A3", registered.ref])
    # a registered volunteer's id, or other features than the form's, are refused with the reason
    with pytest.raises(ValidationError) as refused:
        services.import_volunteers(actor=space_admin, sortition=pool, text=f"id,gender,age\n{registered.ref},m,old\n")
    assert refused.value.code == "registered_id"
    with pytest.raises(ValidationError) as refused:
        services.import_volunteers(actor=space_admin, sortition=pool, text="id,gender,district\nA9,m,north\n")
    assert refused.value.code == "features"
    assert pool.volunteers.count() == 2
    # the import screen says what was kept, added and updated
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(space_admin)
    client.cookies["agora_language"] = "en"
    upload = SimpleUploadedFile("pool.csv", IMPORTED.encode(), content_type="text/csv")
    response = client.post(admin_url(component, "pool", sortition_id=pool.pk), {"file": upload}, follow=True)
    text = response.content.decode()
    assert "Pool imported: 2 volunteers added, 0 updated, 1 registered through the form kept." in text
    assert pool.volunteers.count() == 4
    # someone without the right cannot import
    client.force_login(participant)
    upload = SimpleUploadedFile("pool.csv", IMPORTED.encode(), content_type="text/csv")
    assert client.post(admin_url(component, "pool", sortition_id=pool.pk), {"file": upload}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.import_volunteers(actor=participant, sortition=pool, text=IMPORTED)


def test_registration_closes_when_the_selection_starts(
    client, component, pool, participant, space_admin, django_capture_on_commit_callbacks
):
    from agora.actionlog.models import ActionLog
    from agora.components.sortitions.tests.conftest import POOL_CSV
    from agora.testing import factories

    services.register_volunteer(actor=participant, sortition=pool, values=_values(pool))
    services.import_volunteers(actor=space_admin, sortition=pool, text=POOL_CSV)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_selection(actor=space_admin, sortition=pool)
    pool.refresh_from_db()
    assert not pool.registration_open
    assert ActionLog.objects.filter(verb="sortitions.registration_closed", data__reason="selection").exists()
    late = factories.UserFactory()
    factories.member_of(late, component.space.organization)
    with pytest.raises(PermissionDenied):
        services.register_volunteer(actor=late, sortition=pool, values=_values(pool))
    with pytest.raises(ValidationError):
        services.set_registration(actor=space_admin, sortition=pool, is_open=True)
    client.force_login(late)
    client.cookies["agora_language"] = "en"
    page = client.get(public_url(component, "detail", sortition_id=pool.pk)).content.decode()
    assert "Volunteers wanted" not in page
    response = client.post(public_url(component, "volunteer", sortition_id=pool.pk), answers(pool))
    assert response.status_code == 403
    assert not Volunteer.objects.filter(user=late).exists()
