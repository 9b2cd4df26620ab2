import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agora.actionlog.models import ActionLog
from agora.components.sortitions import selectors, services
from agora.components.sortitions.models import Draw, Sortition
from agora.components.sortitions.tests.conftest import POOL_CSV, QUOTAS
from agora.permissions import PermissionDenied
from agora.sortition import draw as engine_draw
from agora.spaces.models import AssemblyMember, Space
from agora.testing import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_reasons_are_translated(component, space_admin):
    made = services.create_sortition(
        actor=space_admin, component=component, title="Panel", panel_size=8, one_per_household=True, algorithm="leximin"
    )
    services.import_volunteers(actor=space_admin, sortition=made, text=POOL_CSV)
    services.set_quotas(actor=space_admin, sortition=made, text="gender,f,30,30\ngender,m,0,8\n")
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        services.start_selection(actor=space_admin, sortition=made)
    assert "Il faut au moins 30 personnes avec gender" in refused.value.messages[0]


@pytest.fixture
def sortition(component, space_admin):
    made = services.create_sortition(
        actor=space_admin, component=component, title="Panel", panel_size=8, one_per_household=True, algorithm="leximin"
    )
    services.import_volunteers(actor=space_admin, sortition=made, text=POOL_CSV)
    services.set_quotas(actor=space_admin, sortition=made, text=QUOTAS)
    return made


def test_household_key_matches_addresses_written_differently():
    assert services.household_key("12, Rue de l'Église ") == services.household_key("12 rue de l eglise")


def test_quota_helper_from_population_shares():
    quotas = services.parse_quota_lines("gender,f,51%\ngender,m,49%\nage,young,2,4", 24)
    assert quotas[("gender", "f")] == (11, 14) and quotas[("gender", "m")] == (10, 13)
    assert quotas[("age", "young")] == (2, 4)
    with pytest.raises(ValidationError):
        services.parse_quota_lines("gender,f,5", 24)
    with pytest.raises(ValidationError):
        services.parse_quota_lines("gender,f,5,2", 24)


def test_quotas_as_percentages_of_the_panel():
    # 45% to 55% of 24 seats: at least 10.8 (11), at most 13.2 (13); exact percentages stay exact.
    quotas = services.parse_quota_lines("gender,f,45%,55%\nage,young,25%,50 %\nage,old,0,6", 24)
    assert quotas[("gender", "f")] == (11, 13)
    assert quotas[("age", "young")] == (6, 12) and quotas[("age", "old")] == (0, 6)
    assert services.parse_quota_lines("gender,f,45%,55%", 20)[("gender", "f")] == (9, 11)
    for bad in ("gender,f,45%,120%", "gender,f,-5%,50%", "gender,f,abc%,50%", "gender,f,46%,47%"):
        with pytest.raises(ValidationError):  # 46% to 47% of 24: 12 at least, 11 at most
            services.parse_quota_lines(bad, 24)


def test_import_refuses_bad_files(sortition, space_admin):
    with pytest.raises(ValidationError, match="appears twice"):
        services.import_volunteers(actor=space_admin, sortition=sortition, text="id,gender\na,f\na,m\n")
    with pytest.raises(ValidationError, match="no value"):
        services.import_volunteers(actor=space_admin, sortition=sortition, text="id,gender\na,\n")
    assert sortition.volunteers.count() == 40


def test_feasibility_explains_in_words(sortition, space_admin):
    services.set_quotas(actor=space_admin, sortition=sortition, text="gender,f,30,30\ngender,m,0,8\n")
    report = services.check(sortition)
    assert not report.feasible
    with pytest.raises(ValidationError, match="At least 30 people with gender"):
        services.start_selection(actor=space_admin, sortition=sortition)
    assert not sortition.draws.exists()


def test_whole_selection_draw_replacement_and_assembly(
    sortition, space_admin, component, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draw = services.start_selection(actor=space_admin, sortition=sortition)
    draw.refresh_from_db()  # the immediate backend ran the task on commit
    assert draw.state == Draw.State.READY, draw.error
    assert len(draw.distribution_sha256) == 64
    assert sum(draw.probabilities.values()) == pytest.approx(8, abs=1e-6)
    assert selectors.fairness(draw)["min"] > 0
    with pytest.raises(ValidationError, match="already has its selection"):
        services.start_selection(actor=space_admin, sortition=sortition)
    with pytest.raises(ValidationError, match="cannot change"):
        services.set_quotas(actor=space_admin, sortition=sortition, text=QUOTAS)
    city = services.add_party(
        actor=space_admin, draw=draw, name="city", commitment=engine_draw.commitment("city", "s1")
    )
    services.add_party(
        actor=space_admin, draw=draw, name="observers", commitment=engine_draw.commitment("observers", "s2")
    )
    with pytest.raises(ValidationError):
        services.add_party(actor=space_admin, draw=draw, name="bad", commitment="not-a-hash")
    with pytest.raises(ValidationError, match="does not match"):
        services.reveal(actor=space_admin, party=city, secret="wrong")
    services.reveal(actor=space_admin, party=city, secret="s1")
    drawn = services.perform_draw(actor=space_admin, draw=draw, public_value="lottery 1 2 3")
    assert len(drawn.panel) == 8
    assert [p["dropped"] for p in drawn.record["parties"]] == [False, True]
    assert engine_draw.verify(services.bundle_of(sortition))
    with pytest.raises(ValidationError):
        services.perform_draw(actor=space_admin, draw=drawn, public_value="again")
    # one declines: a replacement on the remaining pool, quotas kept
    services.record_declines(actor=space_admin, draw=drawn, refs=drawn.panel[:1])
    with django_capture_on_commit_callbacks(execute=True):
        replacement = services.start_replacement(actor=space_admin, sortition=sortition)
    replacement.refresh_from_db()
    assert replacement.state == Draw.State.READY, replacement.error
    services.perform_draw(actor=space_admin, draw=replacement, public_value="index close 7412")
    lines = engine_draw.verify(services.bundle_of(sortition))
    assert len(lines) == 2
    _, seated, declined = services.current_panel(sortition)
    assert len(seated) == 8 and declined == drawn.panel[:1]
    # the panel becomes the members of a private assembly
    public_assembly = factories.SpaceFactory(organization=component.space.organization, kind=Space.Kind.ASSEMBLY)
    factories.RoleFactory(space=public_assembly, name="space_admin", user=space_admin)
    space_admin = type(space_admin).objects.get(pk=space_admin.pk)  # roles are cached on the user
    with pytest.raises(ValidationError, match="private assembly"):
        services.seat_panel(actor=space_admin, sortition=sortition, space=public_assembly)
    assembly = factories.SpaceFactory(organization=component.space.organization, kind=Space.Kind.ASSEMBLY, private=True)
    with pytest.raises(PermissionDenied):  # the officer must manage the assembly too
        services.seat_panel(actor=space_admin, sortition=sortition, space=assembly)
    factories.RoleFactory(space=assembly, name="space_admin", user=space_admin)
    space_admin = type(space_admin).objects.get(pk=space_admin.pk)
    assert services.seat_panel(actor=space_admin, sortition=sortition, space=assembly) == 8
    assert AssemblyMember.objects.filter(space=assembly).count() == 8
    assert services.seat_panel(actor=space_admin, sortition=sortition, space=assembly) == 0
    for verb in ("created", "pool_imported", "quotas_set", "selection_started", "drawn", "declined", "panel_seated"):
        assert ActionLog.objects.filter(verb=f"sortitions.{verb}").exists(), verb


def test_every_service_refuses_someone_without_the_right(sortition, organization):
    stranger = factories.UserFactory()
    factories.member_of(stranger, organization)
    calls = [
        lambda: services.create_sortition(
            actor=stranger,
            component=sortition.component,
            title="x",
            panel_size=2,
            one_per_household=False,
            algorithm="leximin",
        ),
        lambda: services.import_volunteers(actor=stranger, sortition=sortition, text=POOL_CSV),
        lambda: services.set_quotas(actor=stranger, sortition=sortition, text=QUOTAS),
        lambda: services.start_selection(actor=stranger, sortition=sortition),
        lambda: services.start_replacement(actor=stranger, sortition=sortition),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Sortition.objects.count() == 1 and not sortition.draws.exists()
