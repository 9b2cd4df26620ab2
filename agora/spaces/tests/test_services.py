from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command

from agora.actionlog.models import ActionLog
from agora.permissions import PermissionDenied
from agora.spaces import services
from agora.spaces.models import AssemblyMember, Phase, ProcessGroup, Role, Space, SpaceMember
from agora.spaces.tasks import sync_phases_task
from agora.testing import factories


@pytest.fixture
def phases(process):
    return [
        factories.PhaseFactory(
            space=process, position=0, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31), is_active=True
        ),
        factories.PhaseFactory(space=process, position=1, start_date=date(2026, 2, 1), end_date=date(2026, 2, 28)),
        factories.PhaseFactory(space=process, position=2, start_date=date(2026, 3, 1), end_date=None),
    ]


def active(space):
    return list(space.phases.filter(is_active=True).values_list("pk", flat=True))


# --- spaces -----------------------------------------------------------------------


def test_create_space_logs_and_refuses_non_admins(organization, org_admin, participant):
    values = {"title": {"fr": "Budget"}, "slug": "budget"}
    with pytest.raises(PermissionDenied):
        services.create_space(actor=participant, organization=organization, kind="process", values=values)
    space = services.create_space(actor=org_admin, organization=organization, kind="process", values=values)
    assert space.organization == organization and not space.is_published
    assert ActionLog.objects.filter(verb="space.create", space=space, actor=org_admin).exists()


def test_create_space_refuses_a_duplicate_slug_and_foreign_references(
    organization, other_organization, org_admin, process
):
    with pytest.raises(ValidationError):
        services.create_space(
            actor=org_admin,
            organization=organization,
            kind="process",
            values={"title": {"fr": "X"}, "slug": process.slug},
        )
    foreign_scope = factories.ScopeFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        services.create_space(
            actor=org_admin,
            organization=organization,
            kind="process",
            values={"title": {"fr": "X"}, "slug": "x", "scope": foreign_scope},
        )
    assert not Space.objects.filter(slug="x").exists()


def test_description_is_sanitized(organization, org_admin, process):
    services.update_space(
        actor=org_admin, space=process, values={"description": {"fr": "<p>ok</p><script>alert(1)</script>"}}
    )
    process.refresh_from_db()
    assert "<script>" not in process.description["fr"] and "<p>ok</p>" in process.description["fr"]


def test_space_admin_manages_only_their_space(organization, process):
    admin = factories.RoleFactory(space=process, name=Role.Name.SPACE_ADMIN).user
    other = factories.SpaceFactory(organization=organization)
    services.update_space(actor=admin, space=process, values={"promoted": True})
    with pytest.raises(PermissionDenied):
        services.update_space(actor=admin, space=other, values={"promoted": True})
    collaborator = factories.RoleFactory(space=process, name=Role.Name.COLLABORATOR).user
    with pytest.raises(PermissionDenied):
        services.publish_space(actor=collaborator, space=process)


def test_publish_and_unpublish(org_admin, process):
    services.unpublish_space(actor=org_admin, space=process)
    process.refresh_from_db()
    assert not process.is_published
    services.publish_space(actor=org_admin, space=process)
    process.refresh_from_db()
    assert process.is_published
    assert list(ActionLog.objects.filter(space=process).values_list("verb", flat=True)) == [
        "space.publish",
        "space.unpublish",
    ]


def test_delete_refuses_a_space_with_components(org_admin, process, participant):
    factories.ComponentFactory(space=process)
    with pytest.raises(PermissionDenied):
        services.delete_space(actor=participant, space=process)
    with pytest.raises(services.SpaceNotEmpty):
        services.delete_space(actor=org_admin, space=process)
    process.components.all().delete()
    services.delete_space(actor=org_admin, space=process)
    assert not Space.objects.filter(pk=process.pk).exists()
    assert ActionLog.objects.filter(verb="space.delete").exists()


def test_assembly_cannot_be_its_own_ancestor(organization, org_admin):
    parent = factories.SpaceFactory(organization=organization, kind="assembly")
    child = services.create_space(
        actor=org_admin,
        organization=organization,
        kind="assembly",
        values={"title": {"fr": "Enfant"}, "slug": "enfant", "parent": parent},
    )
    with pytest.raises(ValidationError):
        services.update_space(actor=org_admin, space=parent, values={"parent": child})


def test_process_groups(organization, org_admin, participant):
    with pytest.raises(PermissionDenied):
        services.create_process_group(actor=participant, organization=organization, title={"fr": "G"}, description={})
    group = services.create_process_group(actor=org_admin, organization=organization, title={"fr": "G"}, description={})
    services.update_process_group(actor=org_admin, group=group, title={"fr": "G2"}, description={})
    with pytest.raises(PermissionDenied):
        services.delete_process_group(actor=participant, group=group)
    services.delete_process_group(actor=org_admin, group=group)
    assert not ProcessGroup.objects.exists()


# --- phases ------------------------------------------------------------------------------


def test_phase_writes_are_refused_without_the_right(participant, phases):
    process = phases[0].space
    for call in (
        lambda: services.create_phase(actor=participant, space=process, values={"title": {"fr": "P"}}),
        lambda: services.update_phase(actor=participant, phase=phases[0], values={"title": {"fr": "P"}}),
        lambda: services.delete_phase(actor=participant, phase=phases[0]),
        lambda: services.move_phase(actor=participant, phase=phases[0], direction="down"),
        lambda: services.activate_phase(actor=participant, phase=phases[1]),
        lambda: services.activate_phase(actor=AnonymousUser(), phase=phases[1]),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert active(process) == [phases[0].pk]


def test_create_phase_appends_and_refuses_assemblies(organization, org_admin, phases):
    phase = services.create_phase(actor=org_admin, space=phases[0].space, values={"title": {"fr": "Suivi"}})
    assert phase.position == 3
    assembly = factories.SpaceFactory(organization=organization, kind="assembly")
    with pytest.raises(ValidationError):
        services.create_phase(actor=org_admin, space=assembly, values={"title": {"fr": "P"}})


def test_phase_dates_must_be_ordered(org_admin, phases):
    with pytest.raises(ValidationError):
        services.update_phase(
            actor=org_admin, phase=phases[0], values={"start_date": date(2026, 5, 1), "end_date": date(2026, 4, 1)}
        )


def test_move_phase_up_and_down(org_admin, phases):
    process = phases[0].space
    services.move_phase(actor=org_admin, phase=phases[2], direction="up")
    assert list(process.phases.order_by("position").values_list("pk", flat=True)) == [
        phases[0].pk,
        phases[2].pk,
        phases[1].pk,
    ]
    services.move_phase(actor=org_admin, phase=phases[0], direction="up")  # already first: nothing
    services.move_phase(actor=org_admin, phase=phases[0], direction="down")
    assert list(process.phases.order_by("position").values_list("pk", flat=True)) == [
        phases[2].pk,
        phases[0].pk,
        phases[1].pk,
    ]


def test_activate_phase_keeps_exactly_one_active(org_admin, phases):
    process = phases[0].space
    services.activate_phase(actor=org_admin, phase=phases[2])
    assert active(process) == [phases[2].pk]
    services.activate_phase(actor=org_admin, phase=phases[2])
    assert active(process) == [phases[2].pk]
    assert ActionLog.objects.filter(verb="phase.activate").count() == 1


def test_sync_activates_the_phase_of_the_day_and_is_idempotent(phases):
    process = phases[0].space
    activated = services.sync_active_phases(today=date(2026, 2, 10))
    assert [phase.pk for phase in activated] == [phases[1].pk]
    assert active(process) == [phases[1].pk]
    assert services.sync_active_phases(today=date(2026, 2, 10)) == []
    assert active(process) == [phases[1].pk]
    assert ActionLog.objects.filter(verb="phase.activate_auto").count() == 1


def test_sync_keeps_the_current_phase_when_no_date_matches(phases):
    process = phases[0].space
    services.sync_active_phases(today=date(2025, 6, 1))
    assert active(process) == [phases[0].pk]
    services.sync_active_phases(today=date(2030, 1, 1))  # the open-ended last phase runs on
    assert active(process) == [phases[2].pk]


def test_sync_activates_a_phase_in_a_process_that_had_none(organization):
    process = factories.SpaceFactory(organization=organization)
    phase = factories.PhaseFactory(space=process, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    services.sync_active_phases(today=date(2026, 6, 1))
    assert active(process) == [phase.pk]


def test_sync_command_and_task(phases):
    call_command("sync_phases", "--date", "2026-02-15", stdout=open("/dev/null", "w"))
    assert active(phases[0].space) == [phases[1].pk]

    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    process = phases[0].space
    process.phases.all().delete()
    current = factories.PhaseFactory(
        space=process, start_date=today - timedelta(days=1), end_date=today + timedelta(days=1)
    )
    assert sync_phases_task.enqueue().return_value == 1  # the immediate backend runs it at once
    assert active(process) == [current.pk]
    assert sync_phases_task.enqueue().return_value == 0


# --- members and roles ------------------------------------------------------------------------


def test_assembly_members(organization, org_admin, participant):
    assembly = factories.SpaceFactory(organization=organization, kind="assembly")
    with pytest.raises(PermissionDenied):
        services.add_assembly_member(actor=participant, space=assembly, full_name="Jeanne")
    with pytest.raises(ValidationError):
        services.add_assembly_member(actor=org_admin, space=assembly)
    member = services.add_assembly_member(
        actor=org_admin, space=assembly, full_name="Jeanne", position=AssemblyMember.Position.PRESIDENT
    )
    by_account = services.add_assembly_member(actor=org_admin, space=assembly, user=participant)
    services.update_assembly_member(actor=org_admin, member=member, position="secretary", weight=2)
    with pytest.raises(PermissionDenied):
        services.remove_assembly_member(actor=participant, member=by_account)
    services.remove_assembly_member(actor=org_admin, member=by_account)
    assert list(assembly.assembly_members.values_list("full_name", "position")) == [("Jeanne", "secretary")]


def test_private_space_members(org_admin, participant, process):
    with pytest.raises(PermissionDenied):
        services.add_space_member(actor=participant, space=process, user=participant)
    member = services.add_space_member(actor=org_admin, space=process, user=participant)
    services.add_space_member(actor=org_admin, space=process, user=participant)  # twice: once
    assert SpaceMember.objects.filter(space=process).count() == 1
    with pytest.raises(PermissionDenied):
        services.remove_space_member(actor=participant, member=member)
    services.remove_space_member(actor=org_admin, member=member)
    assert not SpaceMember.objects.exists()


def test_roles(organization, other_organization, org_admin, participant, process):
    space_admin = factories.RoleFactory(space=process, name=Role.Name.SPACE_ADMIN).user
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=space_admin, organization=organization, user=participant, name="moderator", space=process
        )
    role = services.grant_role(
        actor=org_admin, organization=organization, user=participant, name="moderator", space=process
    )
    assert role.space == process
    with pytest.raises(ValidationError):
        services.grant_role(actor=org_admin, organization=organization, user=participant, name="evaluator")
    foreign = factories.SpaceFactory(organization=other_organization)
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=org_admin, organization=organization, user=participant, name="evaluator", space=foreign
        )
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=participant, role=role)
    services.revoke_role(actor=org_admin, role=role)
    own = Role.objects.get(user=org_admin, name="org_admin")
    with pytest.raises(ValidationError):
        services.revoke_role(actor=org_admin, role=own)
    assert list(ActionLog.objects.filter(verb__startswith="role.").values_list("verb", flat=True)) == [
        "role.revoke",
        "role.grant",
    ]


def test_phase_partial_unique_constraint_holds(process):
    factories.PhaseFactory(space=process, is_active=True)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(space=process, title={"fr": "x"}, is_active=True)


def test_followers_of_a_process_hear_of_a_new_phase_once(
    org_admin, participant, phases, django_capture_on_commit_callbacks
):
    from agora.follows.services import add_follow
    from agora.notifications.models import Notification

    process = phases[0].space
    add_follow(user=participant, target=process)
    add_follow(user=org_admin, target=process)
    with django_capture_on_commit_callbacks(execute=True):
        services.activate_phase(actor=org_admin, phase=phases[2])
        services.activate_phase(actor=org_admin, phase=phases[2])  # already active: nothing new
    sent = Notification.objects.filter(event="spaces.phase_started")
    assert [n.recipient_id for n in sent] == [participant.pk]  # never the person who did it
    with django_capture_on_commit_callbacks(execute=True):
        services.sync_active_phases(today=date(2026, 2, 10))
    assert sent.filter(recipient=participant).count() == 2


def test_nobody_hears_of_phases_of_an_unpublished_process(org_admin, participant, phases):
    from agora.follows.services import add_follow
    from agora.notifications.models import Notification

    process = phases[0].space
    process.published_at = None
    process.save()
    add_follow(user=participant, target=process)
    services.activate_phase(actor=org_admin, phase=phases[2])
    assert not Notification.objects.filter(event="spaces.phase_started").exists()
