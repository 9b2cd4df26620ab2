"""What pages need to know about the logged-in person, read in one query per page.

Every page a logged-in person reads checks or shows the same things about
them: the terms they accepted and whether they are blocked, whether their
e-mail address is confirmed, their roles (the "Administration" link), whether
they are a desk agent, the unread notifications and conversations of the
menu, their verified attributes (eligibility rules). Each app registers the
SQL of its fact here (`register`, from its AppConfig.ready) and reads it with
`read`.

While a page is being read (`page_scope`, opened for GET and HEAD requests by
`PageScopeMiddleware`), the first fact asked for runs
every registered fact in one SELECT of scalar subqueries, and the page keeps
the answers until it is rendered: nothing is kept between requests. Outside
a page being read (POST requests, services, tasks, the shell) and inside a
write transaction, a fact is read alone and fresh each time it is asked: what
a write depends on is never taken from the page's memo. A page that changes
one of these facts while it is read (reading a conversation marks it read)
calls `forget(user)`, as the services that change roles, terms or
verifications do.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Callable

from django.db import connection


@dataclass(frozen=True)
class Fact:
    name: str
    # (user, organization, vendor) -> (SQL expressions, one per column, each a scalar
    # subquery or an EXISTS; their parameters, in order)
    columns: Callable[[Any, Any, str], tuple[list[str], list]]
    # the fact's value from its columns' values
    convert: Callable[[tuple], Any]
    # asked for every page of this organization (else only when read)
    wanted: Callable[[Any], bool] | None = None


_facts: dict[str, Fact] = {}
_page: ContextVar[dict | None] = ContextVar("agora_visitor_facts", default=None)


def register(name: str, columns, convert=lambda values: values[0], wanted=None) -> None:
    if name in _facts and _facts[name].columns is not columns:
        raise ValueError(f"The visitor fact {name!r} is already registered")
    _facts[name] = Fact(name, columns, convert, wanted)


def registered() -> list[str]:
    return sorted(_facts)


@contextmanager
def page_scope():
    """A page being read: facts are read once (all together) and kept until the block ends."""
    token = _page.set({})
    try:
        yield
    finally:
        _page.reset(token)


def forget(user=None) -> None:
    """The page changed something about `user` (everyone when None): read their facts again."""
    memo = _page.get()
    if not memo:
        return
    for key in [key for key in memo if user is None or key[0] == getattr(user, "pk", None)]:
        del memo[key]


def _run(user, organization, facts) -> dict:
    expressions, params, widths = [], [], []
    for fact in facts:
        columns, values = fact.columns(user, organization, connection.vendor)
        expressions += columns
        params += values
        widths.append(len(columns))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(expressions), params)
        row = cursor.fetchone()
    result, start = {}, 0
    for fact, width in zip(facts, widths):
        result[fact.name] = fact.convert(tuple(row[start : start + width]))
        start += width
    return result


def _in_write_transaction() -> bool:
    """Inside transaction.atomic() (the atomic blocks of a test case excepted),
    as agora.core.pagecache tells it for its memo."""
    return connection.in_atomic_block and any(
        not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def read(user, organization, name: str):
    """The fact `name` about `user` (logged in) in `organization`: from the
    page's one query while a page is read, else read alone now."""
    fact = _facts[name]
    memo = _page.get()
    if memo is None or _in_write_transaction():
        return _run(user, organization, [fact])[name]
    key = (user.pk, organization.pk)
    values = memo.get(key)
    if values is None:
        values = memo[key] = _run(
            user, organization, [each for each in _facts.values() if each.wanted is None or each.wanted(organization)]
        )
    if name not in values:
        values.update(_run(user, organization, [fact]))
    return values[name]


class PageScopeMiddleware:
    """GET and HEAD requests read pages: what they need to know about the
    person is read once, in one query (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            with page_scope():
                return self.get_response(request)
        return self.get_response(request)


# --- helpers for the apps' SQL ---------------------------------------------------------


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def json_rows(vendor: str, columns: str, rest: str) -> str:
    """A scalar subquery: the rows of `SELECT <columns> <rest>` as a JSON
    array of arrays (read it with `rows`; the order of the rows is not kept)."""
    if vendor == "postgresql":
        return f"(SELECT json_agg(json_build_array({columns})) {rest})"
    return f"(SELECT json_group_array(json_array({columns})) {rest})"


def rows(value) -> list[list]:
    """The rows of a `json_rows` column."""
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        return json.loads(value)
    return value
