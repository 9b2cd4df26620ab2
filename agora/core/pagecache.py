"""Whole-page cache of public pages for anonymous visitors.

Most page views of a participatory platform are anonymous visitors reading
the same lists and idea pages. A view decorated with
:func:`cached_public_page` (after its permission checks) serves such a visitor
the page stored in Django's cache, keyed by the host, the language, the full
path and what the view says varies (the seed of a visitor's random order),
and by the *content version*.

The content version is a number in one database row (``ContentVersion``). An
execute wrapper installed on every database connection watches the SQL the
application sends: after a transaction that wrote (INSERT, UPDATE, DELETE) to
a table that public pages may show has committed, the number moves, so every
stored page is stale at once. This catches ORM saves, ``QuerySet.update``,
bulk operations and raw SQL alike, without a list of signals to keep up to
date. Tables that never show on a public page (sessions, the cache itself,
the action log, notifications, private messages, verification records...)
are ignored, so that a visitor's session or a login does not empty the cache.

The CSRF token in a stored page is replaced by a placeholder and every
visitor gets a fresh one when the page is served. Pages that set a cookie,
change the session, carry a message, answer an HTMX request or come from a
logged-in person are never stored or served from the cache. Entries also
expire after ``AGORA_PAGE_CACHE_SECONDS`` (relative dates, phases that open
by the clock).

Limitation: the version is global, so any relevant write anywhere (a
support, a comment, a ballot) makes all cached pages stale; the cache pays
off when reading outnumbers writing, which is the common case.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_TABLE = "core_contentversion"
# Tables whose rows never appear on a public page.
IGNORED_TABLES = frozenset({
    VERSION_TABLE, "django_session", "django_admin_log", "django_tasks_database_dbtaskresult",
    "actionlog_actionlog", "notifications_notification", "notifications_preference",
    "conversations_conversation", "conversations_message", "conversations_messagingpreference",
    "conversations_participant", "conversations_personblock",
    "verifications_verification", "verifications_identity", "verifications_censusentry",
    "verifications_censusupload", "verifications_organizationsalt",
    "account_emailaddress", "account_emailconfirmation", "socialaccount_socialtoken",
    "accounts_invitation", "moderation_postingcounter", "moderation_report", "comments_commentvote",
    "proposals_participantquota", "desk_deskagent", "desk_managedparticipant",
    "budgets_ballot", "budgets_choice",
})
# Columns of tables that no cached page shows, and whose updates come in storms:
# the vote counters of budget projects (the results pages are not cached).
UNCACHED_COLUMNS = {"budgets_project": frozenset({"votes_online", "votes_paper", "points_online", "points_paper"})}
_SET_COLUMNS = re.compile(r'(?:SET|,)\s*"?([A-Za-z0-9_]+)"?\s*=')
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}"')
PLACEHOLDER = "@@agora-csrf-token@@"
# Headers the middlewares after the view set again, or that belong to one visitor.
_NOT_STORED = {"set-cookie", "vary", "content-length", "content-language"}


def enabled() -> bool:
    return getattr(settings, "AGORA_PAGE_CACHE_SECONDS", 0) > 0


def _ignored_tables() -> frozenset:
    tables = set(IGNORED_TABLES)
    for options in settings.CACHES.values():
        if options.get("BACKEND", "").endswith("DatabaseCache"):
            tables.add(options["LOCATION"])
    return frozenset(tables)


# --------------------------------------------------------------------------- version


_BUMP = (f"INSERT INTO {VERSION_TABLE} (id, number) VALUES (1, 1) "
         f"ON CONFLICT (id) DO UPDATE SET number = {VERSION_TABLE}.number + 1")


def bump_version(using: str = "default") -> None:
    """Move the content version (after a write has committed)."""
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_BUMP)
    except DatabaseError:
        if VERSION_TABLE in connection.introspection.table_names():
            raise
        # migrations are creating the database: nothing is cached yet


def current_version(using: str = "default") -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT number FROM {VERSION_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def _in_real_transaction(connection) -> bool:
    # Inside the atomic block of a test case (never committed, so its commit
    # hooks never run) a write counts as committed at once, savepoints or not.
    return connection.in_atomic_block and not getattr(connection.atomic_blocks[0], "_from_testcase", False)


class _WriteWatcher:
    def __init__(self, alias: str):
        self.alias = alias
        self.ignored = _ignored_tables()

    def _after_commit(self):
        bump_version(self.alias)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql) if sql[:1] in "IUDiud \n" else None
        if match and match.group(1) not in self.ignored and not _uncached_update(match.group(1), sql):
            connection = context["connection"]
            if _in_real_transaction(connection):
                if not any(entry[1] == self._after_commit for entry in connection.run_on_commit):
                    connection.on_commit(self._after_commit)
            else:
                self._after_commit()
        return result


def _uncached_update(table: str, sql: str) -> bool:
    """An UPDATE that only sets columns no cached page shows."""
    columns = UNCACHED_COLUMNS.get(table)
    if not columns or not sql.lstrip()[:6].upper() == "UPDATE":
        return False
    head = sql.split(" WHERE ", 1)[0]
    if " SET " not in head:
        return False
    assigned = set(_SET_COLUMNS.findall("SET " + head.split(" SET ", 1)[1]))
    return bool(assigned) and assigned <= columns


def _watch(sender, connection, **kwargs):
    if not any(isinstance(wrapper, _WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteWatcher(connection.alias))


def install() -> None:
    """Watch the writes of every connection (called from CoreConfig.ready)."""
    connection_created.connect(_watch, dispatch_uid="agora-pagecache-watch")
    for alias in connections:
        if connections[alias].connection is not None:  # already open (e.g. in a shell)
            _watch(None, connections[alias])


# --------------------------------------------------------------------------- memo

# Within a component page (see agora.components.access.component_view) the
# version read at the start of the request is in this variable, and what the
# page loads that only changes with the content (the component, its phases,
# a budget and its projects' costs, eligibility rules) is kept per process
# for that version: during a vote, where every request is a ballot and no
# write moves the version, a request skips those queries.
_scope_version: contextvars.ContextVar[int | None] = contextvars.ContextVar("agora_content_version", default=None)
_memo: dict = {}
MEMO_ENTRIES = 5000


@contextlib.contextmanager
def memo_scope():
    """Memoise by content version inside the block (one request)."""
    token = _scope_version.set(current_version())
    try:
        yield
    finally:
        _scope_version.reset(token)


def memo(key, load):
    """``load()``, or what it gave in this process for the same key and the
    current content version. Outside a :func:`memo_scope`, always ``load()``.
    The value is shared between requests: callers hand out copies of what
    they may change."""
    version = _scope_version.get()
    if version is None:
        return load()
    found = _memo.get(key)
    if found is not None and found[0] == version:
        return found[1]
    value = load()
    if len(_memo) >= MEMO_ENTRIES:
        _memo.clear()
    _memo[key] = (version, value)
    return value


def forget_memo() -> None:
    _memo.clear()


# --------------------------------------------------------------------------- pages


def _cacheable_request(request) -> bool:
    if not (enabled() and request.method in ("GET", "HEAD") and "HTTP_HX_REQUEST" not in request.META):
        return False
    if "messages" in request.COOKIES or getattr(request, "desk_agent", None):
        return False  # a message to show once (cookie storage), or an agent acting for someone
    if request.user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get("_messages"))  # messages kept in the session


def _key(request, vary: str, version: int) -> str:
    raw = "\n".join((request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.get_full_path(), vary))
    return f"page:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _stored(response) -> tuple[str, str, list[tuple[str, str]]] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    charset = response.charset or "utf-8"
    body = _TOKEN.sub(lambda m: m.group(1) + PLACEHOLDER + '"', response.content.decode(charset))
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    return body, charset, headers


def _replay(request, stored) -> HttpResponse:
    body, charset, headers = stored
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, get_token(request))
    response = HttpResponse(body.encode(charset))
    for name, value in headers:
        response[name] = value
    return response


def page(request, vary: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The response of ``render()``, from the cache for an anonymous visitor.

    ``vary``: what else than the host, the language and the full path the page
    depends on for this visitor (e.g. the seed of their random order); the
    caller has already checked the permissions.
    """
    if not _cacheable_request(request):
        return render()
    version = _scope_version.get()
    key = _key(request, vary, current_version() if version is None else version)
    stored = cache.get(key)
    if stored is not None:
        return _replay(request, stored)
    response = render()
    entry = _stored(response)
    if entry is not None:
        cache.set(key, entry, settings.AGORA_PAGE_CACHE_SECONDS)
    return response


def cached_public_page(view):
    """Decorator for a view whose page is the same for every anonymous visitor
    (placed after the decorators that check permissions)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return page(request, "", lambda: view(request, *args, **kwargs))

    return wrapper
