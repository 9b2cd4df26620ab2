"""Sibling results edited at the same time (PostgreSQL only): the parent
still ends equal to the mean of its children. Fails if the parent is not
locked while its children are read (see services.recompute_ancestors)."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from agora.components.accountability import services
from agora.components.accountability.models import Result
from agora.core.translations import tr

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (parallel transactions)")


def test_parallel_progress_changes_of_siblings_keep_the_parent_consistent(component, space_admin, monkeypatch):
    parent = services.create_result(actor=space_admin, component=component, title=tr("P"))
    children = [services.create_result(actor=space_admin, component=component, title=tr(f"E{n}"), parent=parent)
                for n in range(2)]

    # Widen the race window: pause after each child's write, before the parent is recomputed.
    original = services.recompute_ancestors

    def slow(parent_id):
        time.sleep(0.2)
        return original(parent_id)

    monkeypatch.setattr(services, "recompute_ancestors", slow)
    barrier = threading.Barrier(2)
    errors = []

    def run(child, value):
        try:
            barrier.wait()
            services.set_progress(actor=space_admin, result=Result.objects.get(pk=child.pk), progress=value)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(child, value)) for child, value in zip(children, (40, 80))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    parent.refresh_from_db()
    assert parent.progress == Decimal("60.00")
