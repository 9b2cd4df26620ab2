"""Sibling results edited at the same time (PostgreSQL only): the parent
still ends equal to the mean of its children. Fails if the parent is not
locked while its children are read (see services.recompute_ancestors)."""

import time
from decimal import Decimal

import pytest

from agora.components.accountability import services
from agora.components.accountability.models import Result
from agora.core.translations import tr
from agora.testing.concurrency import in_parallel, requires_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
postgres_only = requires_postgres()


def test_parallel_progress_changes_of_siblings_keep_the_parent_consistent(component, space_admin, monkeypatch):
    parent = services.create_result(actor=space_admin, component=component, title=tr("P"))
    children = [
        services.create_result(actor=space_admin, component=component, title=tr(f"E{n}"), parent=parent)
        for n in range(2)
    ]

    # Widen the race window: pause after each child's write, before the parent is recomputed.
    original = services.recompute_ancestors

    def slow(parent_id):
        time.sleep(0.2)
        return original(parent_id)

    monkeypatch.setattr(services, "recompute_ancestors", slow)
    outcomes = in_parallel(
        [
            lambda child=child, value=value: services.set_progress(
                actor=space_admin, result=Result.objects.get(pk=child.pk), progress=value
            )
            for child, value in zip(children, (40, 80))
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    parent.refresh_from_db()
    assert parent.progress == Decimal("60.00")
