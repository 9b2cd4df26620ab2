"""The content version (agora.core.pagecache) moves in the same transaction
as the change it reports, and what a process memoises for a version is
never kept longer than AGORA_MEMO_SECONDS nor used by a write."""

import pytest
from django.db import OperationalError, connection, transaction

from agora.core import pagecache
from agora.core.models import Organization
from agora.testing import factories


def test_the_version_is_committed_with_the_change_even_if_the_connection_breaks_right_after(transactional_db):
    """Nothing has to run after COMMIT: a connection lost at that moment (a
    failover, a killed worker) cannot leave the change committed and the
    version where every server memoised."""
    before = pagecache.current_version()

    def connection_lost():  # the first thing that runs after COMMIT
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError), transaction.atomic():
        transaction.on_commit(connection_lost)
        factories.OrganizationFactory(name="Ville renommée")
    assert Organization.objects.filter(name="Ville renommée").exists()
    assert pagecache.current_version() == before + 1


def test_the_version_moves_as_the_last_statement_of_the_transaction(transactional_db):
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record), transaction.atomic():
        factories.OrganizationFactory()
        assert not any(pagecache.VERSION_TABLE in sql for sql in statements)  # not while it still writes
    assert pagecache.VERSION_TABLE in statements[-1]


def test_a_write_outside_a_transaction_moves_the_version_with_it(transactional_db):
    before = pagecache.current_version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_organization SET name = name WHERE id = -1")
    assert pagecache.current_version() == before + 1
    assert connection.get_autocommit()


def test_a_rolled_back_transaction_leaves_nothing_pending(transactional_db):
    before = pagecache.current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.OrganizationFactory()
        raise RuntimeError("rolled back")
    with transaction.atomic():
        Organization.objects.filter(pk=-1).exists()  # a transaction that only reads
    assert pagecache.current_version() == before


def test_the_memo_expires_after_a_bounded_time(db, settings, monkeypatch):
    loads = []
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    settings.AGORA_MEMO_SECONDS = 5
    with pagecache.memo_scope():
        assert pagecache.memo("k", lambda: loads.append(1) or len(loads)) == 1
        clock[0] += 4.9
        assert pagecache.memo("k", lambda: loads.append(1) or len(loads)) == 1
        clock[0] += 0.2  # same content version, but older than AGORA_MEMO_SECONDS
        assert pagecache.memo("k", lambda: loads.append(1) or len(loads)) == 2


def test_the_memo_is_never_used_inside_a_write(db):
    loads = []
    with pagecache.memo_scope():
        pagecache.memo("k", lambda: loads.append(1))
        with transaction.atomic():
            pagecache.memo("k", lambda: loads.append(1))
            pagecache.memo("k", lambda: loads.append(1))
        pagecache.memo("k", lambda: loads.append(1))
    assert len(loads) == 3


@pytest.mark.parametrize(
    "statements, moves_settings",
    [
        (["UPDATE proposals_support SET counted = counted WHERE id = -1"], False),
        (
            [
                "UPDATE comments_comment SET body = body WHERE id = -1",
                "UPDATE accounts_user SET name = name WHERE id = -1",
            ],
            False,
        ),
        (["UPDATE components_component SET weight = weight WHERE id = -1"], True),
        (
            [
                "UPDATE proposals_proposal SET supports_count = supports_count WHERE id = -1",
                "UPDATE taxonomy_category SET weight = weight WHERE id = -1",
            ],
            True,
        ),
    ],
)
def test_participants_writes_leave_the_settings_version_where_it_was(transactional_db, statements, moves_settings):
    """Supports, comments, follows, logins move the content version (cached
    pages show them) but not the settings version the memo is kept for: a
    vote leaves every process's memo warm. Anything else moves both, once
    per transaction."""
    content, settings = pagecache.current_versions()
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    assert pagecache.current_versions() == (content + 1, settings + moves_settings)
