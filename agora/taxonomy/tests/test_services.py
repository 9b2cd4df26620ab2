from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from agora.actionlog.models import ActionLog
from agora.permissions import PermissionDenied
from agora.taxonomy import services
from agora.taxonomy.models import Category, Scope
from agora.testing import factories

SAMPLE = Path(__file__).with_name("communes_sample.csv")


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def types(organization):
    return {
        "commune": factories.ScopeTypeFactory(
            organization=organization, name={"fr": "Commune", "en": "Commune"}, plural={"fr": "Communes"}
        ),
        "departement": factories.ScopeTypeFactory(
            organization=organization, name={"fr": "Département", "en": "County"}, plural={}
        ),
    }


# --- categories ---------------------------------------------------------------------


def test_categories_have_two_levels(organization, org_admin):
    main = services.create_category(actor=org_admin, organization=organization, name={"fr": "Sport"})
    sub = services.create_category(actor=org_admin, organization=organization, name={"fr": "Football"}, parent=main)
    with pytest.raises(ValidationError, match="sub-categor"):
        services.create_category(actor=org_admin, organization=organization, name={"fr": "5 contre 5"}, parent=sub)
    other = services.create_category(actor=org_admin, organization=organization, name={"fr": "Culture"})
    with pytest.raises(ValidationError):
        services.update_category(actor=org_admin, category=main, name={"fr": "Sport"}, parent=other)
    with pytest.raises(ValidationError):
        services.update_category(actor=org_admin, category=main, name={"fr": "Sport"}, parent=main)
    assert Category.objects.count() == 3


def test_category_parent_must_be_of_the_organization(organization, other_organization, org_admin):
    foreign = factories.CategoryFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        services.create_category(actor=org_admin, organization=organization, name={"fr": "X"}, parent=foreign)


def test_taxonomy_writes_are_refused_without_the_right(organization, participant, process):
    space_admin = factories.RoleFactory(space=process).user
    category = factories.CategoryFactory(organization=organization)
    scope_type = factories.ScopeTypeFactory(organization=organization)
    scope = factories.ScopeFactory(organization=organization)
    for person in (participant, space_admin):
        for call in (
            lambda: services.create_category(actor=person, organization=organization, name={"fr": "X"}),
            lambda: services.update_category(actor=person, category=category, name={"fr": "X"}),
            lambda: services.delete_category(actor=person, category=category),
            lambda: services.create_scope_type(actor=person, organization=organization, name={}, plural={}),
            lambda: services.update_scope_type(actor=person, scope_type=scope_type, name={}, plural={}),
            lambda: services.delete_scope_type(actor=person, scope_type=scope_type),
            lambda: services.create_scope(actor=person, organization=organization, name={"fr": "X"}, code="X"),
            lambda: services.update_scope(actor=person, scope=scope, name={"fr": "X"}, code="X"),
            lambda: services.delete_scope(actor=person, scope=scope),
            lambda: services.import_scopes_csv(actor=person, organization=organization, data=SAMPLE.read_bytes()),
        ):
            with pytest.raises(PermissionDenied):
                call()


def test_scope_codes_are_unique_and_types_protected(organization, org_admin, types):
    scope = services.create_scope(
        actor=org_admin, organization=organization, name={"fr": "Nord"}, code="N", scope_type=types["commune"]
    )
    with pytest.raises(ValidationError):
        services.create_scope(actor=org_admin, organization=organization, name={"fr": "Nord 2"}, code="N")
    with pytest.raises(ValidationError):
        services.update_scope(actor=org_admin, scope=scope, name={"fr": "Nord"}, code="N", parent=scope)
    with pytest.raises(ValidationError):
        services.delete_scope_type(actor=org_admin, scope_type=types["commune"])
    services.delete_scope(actor=org_admin, scope=scope)
    services.delete_scope_type(actor=org_admin, scope_type=types["commune"])


# --- CSV import -------------------------------------------------------------------------


def test_import_the_sample_then_again_idempotently(organization, org_admin, types):
    result = services.import_scopes_csv(actor=org_admin, organization=organization, data=SAMPLE.read_bytes())
    assert (result.created, result.updated) == (5, 0)
    orleans = Scope.objects.get(organization=organization, code="45234")
    assert orleans.name == {"fr": "Orléans", "en": "Orléans"}
    assert orleans.scope_type == types["commune"] and orleans.parent.code == "45"
    assert Scope.objects.get(code="45").scope_type == types["departement"]

    again = services.import_scopes_csv(actor=org_admin, organization=organization, data=SAMPLE.read_bytes())
    assert (again.created, again.updated) == (0, 5)
    assert Scope.objects.filter(organization=organization).count() == 5
    assert ActionLog.objects.filter(verb="scope.import").count() == 2


def test_reimport_updates_by_code(organization, org_admin, types):
    services.import_scopes_csv(actor=org_admin, organization=organization, data=SAMPLE.read_bytes())
    services.import_scopes_csv(
        actor=org_admin,
        organization=organization,
        data="code;name_fr;name_en;type;parent_code\n45234;Orléans-centre;Orleans;commune;\n",
    )
    orleans = Scope.objects.get(code="45234")
    assert orleans.name == {"fr": "Orléans-centre", "en": "Orleans"} and orleans.parent is None


def test_import_is_all_or_nothing_with_line_numbers(organization, org_admin, types):
    data = (
        "code,name_fr,name_en,type,parent_code\n"
        "45234,Orléans,Orléans,Commune,45\n"  # line 2: parent 45 is neither in the file nor in the database
        "45147,Fleury,,Commune,\n"  # line 3: fine
        ",Sans code,,Commune,\n"  # line 4: no code
        "45302,,,Commune,\n"  # line 5: no name
        "45147,Doublon,,Commune,\n"  # line 6: duplicate code
        "45999,Ailleurs,,Canton,\n"  # line 7: unknown type
    )
    with pytest.raises(services.ScopeImportError) as refused:
        services.import_scopes_csv(actor=org_admin, organization=organization, data=data)
    lines = [line for line, _reason in refused.value.errors]
    assert lines == [2, 4, 5, 6, 7]
    reasons = dict(refused.value.errors)
    assert "45" in reasons[2] and "code" in reasons[4] and "name" in reasons[5]
    assert "line 3" in reasons[6] and "Canton" in reasons[7]
    assert not Scope.objects.exists()
    assert not ActionLog.objects.filter(verb="scope.import").exists()


def test_import_refuses_a_wrong_header_and_loops(organization, org_admin, types):
    with pytest.raises(services.ScopeImportError) as refused:
        services.import_scopes_csv(actor=org_admin, organization=organization, data="code,name\n1,A\n")
    assert refused.value.errors[0][0] == 1 and "name_fr" in refused.value.errors[0][1]
    with pytest.raises(services.ScopeImportError):
        services.import_scopes_csv(
            actor=org_admin,
            organization=organization,
            data=("code,name_fr,name_en,type,parent_code\nA,A,,,B\nB,B,,,A\n"),
        )
    with pytest.raises(services.ScopeImportError):
        services.import_scopes_csv(actor=org_admin, organization=organization, data=b"\xff\xfe\x00bad")
    assert not Scope.objects.exists()


def test_import_stays_in_the_organization(organization, other_organization, org_admin, types):
    factories.ScopeFactory(organization=other_organization, code="45")
    with pytest.raises(services.ScopeImportError):  # B's scope 45 is no parent for A
        services.import_scopes_csv(
            actor=org_admin,
            organization=organization,
            data="code,name_fr,name_en,type,parent_code\n45234,Orléans,,,45\n",
        )
    services.import_scopes_csv(actor=org_admin, organization=organization, data=SAMPLE.read_bytes())
    assert Scope.objects.filter(organization=other_organization).count() == 1
    assert Scope.objects.get(organization=other_organization, code="45").name != {"fr": "Loiret", "en": "Loiret"}
