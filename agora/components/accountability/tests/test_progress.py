"""Progress stays between 0 and 100 and every parent equals the mean of its
children, whatever the edits (services) — checked by examples and by
hypothesis on random trees and random updates."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agora.components.accountability import csv_io, services
from agora.components.accountability.models import Result, Status
from agora.components.accountability.progress import parent_progress
from agora.core.translations import tr

from .factories import ResultFactory, StatusFactory


def assert_consistent(component):
    """Every result with children holds the mean of its children; all within 0–100."""
    rows = list(Result.objects.filter(component=component).values_list("pk", "parent_id", "progress"))
    children = {}
    for pk, parent_id, progress in rows:
        assert Decimal(0) <= progress <= Decimal(100)
        children.setdefault(parent_id, []).append(progress)
    for pk, _parent, progress in rows:
        if pk in children:
            assert progress == parent_progress(children[pk]), pk


def make(actor, component, progress=0, parent=None, status=None):
    return services.create_result(
        actor=actor, component=component, title=tr("R"), progress=progress, parent=parent, status=status
    )


def test_the_parent_takes_the_mean_of_its_children(component, space_admin):
    parent = make(space_admin, component, progress=90)
    a = make(space_admin, component, progress=20, parent=parent)
    parent.refresh_from_db()
    assert parent.progress == Decimal("20.00")
    b = make(space_admin, component, progress=50, parent=parent)
    parent.refresh_from_db()
    assert parent.progress == Decimal("35.00")
    services.set_progress(actor=space_admin, result=a, progress=100)
    parent.refresh_from_db()
    assert parent.progress == Decimal("75.00")
    services.delete_result(actor=space_admin, result=b)
    parent.refresh_from_db()
    assert parent.progress == Decimal("100.00")
    assert_consistent(component)


def test_three_levels_and_moves(component, space_admin):
    root = make(space_admin, component)
    middle = make(space_admin, component, parent=root)
    leaf1 = make(space_admin, component, progress=30, parent=middle)
    make(space_admin, component, progress=60, parent=middle)
    other = make(space_admin, component, progress=10)
    root.refresh_from_db()
    assert root.progress == Decimal("45.00")
    services.move_result(actor=space_admin, result=leaf1, parent=other)
    root.refresh_from_db(), other.refresh_from_db()
    assert root.progress == Decimal("60.00") and other.progress == Decimal("30.00")
    assert_consistent(component)


def test_a_parent_progress_cannot_be_set_by_hand(component, space_admin):
    parent = make(space_admin, component)
    make(space_admin, component, progress=40, parent=parent)
    with pytest.raises(ValidationError):
        services.set_progress(actor=space_admin, result=parent, progress=99)
    services.update_result(actor=space_admin, result=Result.objects.get(pk=parent.pk), title=tr("P"), progress=99)
    parent.refresh_from_db()
    assert parent.progress == Decimal("40.00")


@pytest.mark.parametrize("value", [-1, "100.01", 150, "abc", "NaN", "Infinity"])
def test_progress_outside_0_100_is_refused_by_the_services(component, space_admin, value):
    with pytest.raises(ValidationError):
        make(space_admin, component, progress=value)
    result = make(space_admin, component, progress=5)
    with pytest.raises(ValidationError):
        services.set_progress(actor=space_admin, result=result, progress=value)


@pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.01")])
def test_the_database_refuses_a_progress_outside_0_100(component, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResultFactory(component=component, progress=value)


def test_the_database_refuses_a_status_progress_outside_0_100(component):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusFactory(component=component, progress=101)


def test_a_result_cannot_go_inside_its_own_subtree(component, space_admin):
    root = make(space_admin, component)
    child = make(space_admin, component, parent=root)
    grandchild = make(space_admin, component, parent=child)
    for target in (root, child, grandchild):
        with pytest.raises(ValidationError):
            services.move_result(actor=space_admin, result=root, parent=Result.objects.get(pk=target.pk))


def test_a_status_sets_its_default_progress(component, space_admin):
    works = Status.objects.create(component=component, token="travaux", name=tr("Travaux"), progress=50)
    done = Status.objects.create(component=component, token="fait", name=tr("Réalisé"), progress=100)
    plain = Status.objects.create(component=component, token="autre", name=tr("Autre"))
    result = make(space_admin, component, progress=None, status=works)
    assert result.progress == Decimal("50.00")
    # Changing the status without touching the progress: the default wins.
    services.update_result(actor=space_admin, result=result, title=tr("R"), status=done, progress=Decimal("50"))
    assert result.progress == Decimal("100.00")
    # Changing both: the officer's value wins.
    services.update_result(actor=space_admin, result=result, title=tr("R"), status=works, progress=70)
    assert result.progress == Decimal("70.00")
    # A status without default keeps the progress.
    services.update_result(actor=space_admin, result=result, title=tr("R"), status=plain, progress=70)
    assert result.progress == Decimal("70.00")


def test_bulk_status_change_keeps_parents_consistent(component, space_admin):
    done = Status.objects.create(component=component, token="fait", name=tr("Réalisé"), progress=100)
    parent = make(space_admin, component)
    children = [make(space_admin, component, progress=0, parent=parent) for _ in range(3)]
    count = services.bulk_change_status(actor=space_admin, component=component, results=children[:2], status=done)
    assert count == 2
    parent.refresh_from_db()
    assert parent.progress == Decimal("66.67")
    assert_consistent(component)


def test_the_csv_import_keeps_parents_consistent(component, space_admin):
    data = "reference,parent_reference,title_fr,title_en,progress\nA,,Parent,,\nA1,A,Enfant 1,,10\nA2,A,Enfant 2,,25\n"
    csv_io.import_csv(actor=space_admin, component=component, data=data)
    assert Result.objects.get(reference="A").progress == Decimal("17.50")
    assert_consistent(component)


# --- random trees and updates -------------------------------------------------------------

progress_values = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(min_value=-1, max_value=30), progress_values),
        st.tuples(st.just("progress"), st.integers(min_value=0, max_value=30), progress_values),
        st.tuples(st.just("move"), st.integers(min_value=0, max_value=30), st.integers(min_value=-1, max_value=30)),
        st.tuples(st.just("delete"), st.integers(min_value=0, max_value=30), st.none()),
        st.tuples(st.just("status"), st.integers(min_value=0, max_value=30), st.booleans()),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=operations)
def test_random_trees_and_updates_keep_every_parent_equal_to_the_mean_of_its_children(
    component, space_admin, operations
):
    with transaction.atomic():
        status = Status.objects.create(component=component, token="fait", name=tr("Fait"), progress=100)
        for operation, first, second in operations:
            ids = list(Result.objects.filter(component=component).order_by("pk").values_list("pk", flat=True))

            def pick(index):
                return Result.objects.get(pk=ids[index % len(ids)]) if ids and index >= 0 else None

            if operation == "add":
                make(space_admin, component, progress=second, parent=pick(first))
            elif not ids:
                continue
            elif operation == "progress":
                result = pick(first)
                if not result.children.exists():
                    services.set_progress(actor=space_admin, result=result, progress=second)
            elif operation == "move":
                try:
                    services.move_result(actor=space_admin, result=pick(first), parent=pick(second))
                except ValidationError:
                    pass  # into its own subtree: refused, nothing changed
            elif operation == "delete":
                services.delete_result(actor=space_admin, result=pick(first))
            elif operation == "status":
                services.bulk_change_status(
                    actor=space_admin, component=component, results=[pick(first)], status=status
                )
            assert_consistent(component)
        transaction.set_rollback(True)
