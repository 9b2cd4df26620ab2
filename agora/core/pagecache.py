"""Whole-page cache of public pages for anonymous visitors.

Most page views of a participatory platform are anonymous visitors reading
the same lists and idea pages. A view decorated with
:func:`cached_public_page` (after its permission checks) serves such a visitor
the page stored in Django's cache, keyed by the host, the language, the full
path and what the view says varies (the seed of a visitor's random order),
and by the *content version*.

The content version is a number in one database row (``ContentVersion``). An
execute wrapper installed on every database connection watches the SQL the
application sends: a transaction that wrote (INSERT, UPDATE, DELETE) to a
table that public pages may show moves the number as its last statement
before COMMIT, so the change and the version commit together (nothing is left
to run after the COMMIT, where a lost connection would leave the version
behind) and every stored page is stale at once. This catches ORM saves, ``QuerySet.update``,
bulk operations and raw SQL alike, without a list of signals to keep up to
date. Tables that never show on a public page (sessions, the cache itself,
the action log, notifications, private messages, verification records...)
are ignored, so that a visitor's session or a login does not empty the cache.

The CSRF token in a stored page is replaced by a placeholder and every
visitor gets a fresh one when the page is served; so is the
Content-Security-Policy nonce of the page's inline style or script (a nonce
is worth something only if it differs in every response). Pages that set a cookie,
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
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token

from agora.core.theming import theme_of

VERSION_TABLE = "core_contentversion"
# Tables whose rows never appear on a public page.
IGNORED_TABLES = frozenset(
    {
        VERSION_TABLE,
        "django_session",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
        "actionlog_actionlog",
        "notifications_notification",
        "notifications_preference",
        "conversations_conversation",
        "conversations_message",
        "conversations_messagingpreference",
        "conversations_participant",
        "conversations_personblock",
        "verifications_verification",
        "verifications_identity",
        "verifications_censusentry",
        "verifications_censusupload",
        "verifications_organizationsalt",
        "account_emailaddress",
        "account_emailconfirmation",
        "socialaccount_socialtoken",
        "accounts_invitation",
        "moderation_postingcounter",
        "moderation_report",
        "comments_commentvote",
        "proposals_participantquota",
        "desk_deskagent",
        "desk_managedparticipant",
        "budgets_ballot",
        "budgets_choice",
        # Opinion maps: the votes and the pseudonymous participants (no cached page shows them; the
        # map shows the stored analysis, opinions_result, whose update moves the version).
        "opinions_vote",
        "opinions_participant",
        # Signatures of citizen initiatives: their pages are not cached (they show each person's own
        # signature), so a storm of signatures on one initiative moves no version.
        "initiatives_signature",
        # Answers to questionnaires and their counters (results pages are not cached).
        "questionnaires_answerset",
        "questionnaires_answer",
        "questionnaires_tally",
        "surveys_response",
        # A survey's count of responses (its results page and the key figures read it; neither is
        # worth emptying every cached page for each answer; the key figures catch up when pages expire).
        "surveys_responsecount",
        "surveys_export",
        "outbox_outgoingemail",
        "outbox_outboxguard",
        # Participation statistics move with every ballot, idea or page view; the public
        # figures are read through their own short cache (agora.statistics.selectors).
        "statistics_participant",
        "statistics_dailycount",
        "statistics_dailyvisits",
        # The public API's staff tokens (their last use) and its rate limit's counters.
        "api_apitoken",
        "api_ratecount",
    }
)
# Tables pages show that participants write all day (an idea, a support, a
# comment, a follow, a login): a write moves the content version (cached
# pages) but not the *settings version*, which keys the memo below: nothing
# memo() keeps is read from these tables, so a storm of supports leaves every
# process's memo warm. A new memo must not read them.
PARTICIPATION_TABLES = frozenset(
    {
        "proposals_proposal",
        "proposals_support",
        "proposals_attachment",
        "comments_comment",
        "comments_comment_mentioned",
        "follows_follow",
        "accounts_user",
        "accounts_membership",
        # A registration for a meeting (and the invitation it accepts): nothing memoised reads them.
        "meetings_registration",
        "meetings_invitation",
    }
)
# Columns that participants' writes move all day, on tables that memo() may read
# otherwise: an UPDATE that sets only these moves the content version (cached
# pages show them: the places left) but not the settings version.
PARTICIPATION_COLUMNS = {
    "meetings_meeting": frozenset({"registered_count", "waiting_count"}),
}
# Columns of tables that no cached page shows, and whose updates come in storms:
# the vote counters of budget projects (the results pages are not cached).
UNCACHED_COLUMNS = {
    "budgets_project": frozenset({"votes_online", "votes_paper", "points_online", "points_paper"}),
    # The mark that asks the worker for a new analysis (set by the first vote of each window).
    "opinions_conversation": frozenset({"recompute_requested_at"}),
    # A statement's count of votes (the order statements are offered in; every new vote adds 1).
    "opinions_statement": frozenset({"vote_count"}),
    # An initiative's count of signatures and its progress marks (its pages are not cached).
    "initiatives_initiative": frozenset({"signature_count", "progress_mark"}),
}
_SET_COLUMNS = re.compile(r'(?:SET|,)\s*"?([A-Za-z0-9_]+)"?\s*=')
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}"')
PLACEHOLDER = "@@agora-csrf-token@@"
NONCE_PLACEHOLDER = "@@agora-csp-nonce@@"
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


# Row 1: the content version; row 2: the settings version (moves with every
# write the content version reports except those of PARTICIPATION_TABLES).
CONTENT, SETTINGS = 1, 2
_UPSERT = (
    f"INSERT INTO {VERSION_TABLE} (id, number) VALUES {{rows}} "
    f"ON CONFLICT (id) DO UPDATE SET number = {VERSION_TABLE}.number + 1"
)
_BUMP = _UPSERT.format(rows=f"({CONTENT}, 1), ({SETTINGS}, 1)")
_BUMP_CONTENT = _UPSERT.format(rows=f"({CONTENT}, 1)")
# Aliases whose database is known to have the version table (checked until it
# has: while migrations create a database, nothing is cached yet).
_version_table_seen: set[str] = set()


def _has_version_table(connection) -> bool:
    if connection.alias not in _version_table_seen:
        if VERSION_TABLE not in connection.introspection.table_names():
            return False
        _version_table_seen.add(connection.alias)
    return True


def bump_version(using: str = "default", *, settings: bool = True) -> None:
    """Move the content version and, with `settings`, the settings version
    (one statement, rows locked in the same order by every writer), in the
    connection's current transaction if there is one (the watcher calls it
    just before COMMIT)."""
    connection = connections[using]
    if not _has_version_table(connection):
        return
    with connection.cursor() as cursor:
        cursor.execute(_BUMP if settings else _BUMP_CONTENT)


def current_versions(using: str = "default") -> tuple[int, int]:
    """(content version, settings version), in one query."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT id, number FROM {VERSION_TABLE} WHERE id IN ({CONTENT}, {SETTINGS})")
        numbers = dict(cursor.fetchall())
    return numbers.get(CONTENT, 0), numbers.get(SETTINGS, 0)


def current_version(using: str = "default") -> int:
    """The content version."""
    return current_versions(using)[0]


def settings_version(using: str = "default") -> int:
    return current_versions(using)[1]


def _in_testcase_transaction(connection) -> bool:
    # Inside the atomic block of a test case (never committed), a write counts
    # as committed at once, savepoints or not.
    return connection.in_atomic_block and getattr(connection.atomic_blocks[0], "_from_testcase", False)


class _WriteWatcher:
    """Execute wrapper of one connection: notes that the open transaction
    wrote to a table public pages may show; the version then moves in that
    same transaction, as its last statement before COMMIT (see _commit_hook).

    Why not after COMMIT: a connection that breaks between the COMMIT and a
    separate UPDATE (failover, a killed worker, a network cut) left the change
    committed and the version unmoved, and every server kept serving what it
    had memoised or cached. Moving it last keeps the version row locked only
    for the COMMIT round trip (writers that touch shown tables queue there one
    at a time; ballots and vote counters are ignored, so a vote storm does not)."""

    def __init__(self, alias: str):
        self.alias = alias
        self.ignored = _ignored_tables()
        self.pending = False
        self.pending_settings = False

    def shown_table(self, sql: str) -> str | None:
        """The table a write to a table public pages may show, else None."""
        match = _WRITE.match(sql) if sql[:1] in "IUDiud \n" else None
        if match and match.group(1) not in self.ignored and not _uncached_update(match.group(1), sql):
            return match.group(1)
        return None

    def shows(self, sql: str) -> bool:
        return self.shown_table(sql) is not None

    def __call__(self, execute, sql, params, many, context):
        table = self.shown_table(sql)
        if table is None:
            return execute(sql, params, many, context)
        settings = table not in PARTICIPATION_TABLES and not _only_columns(PARTICIPATION_COLUMNS, table, sql)
        connection = context["connection"]
        if _in_testcase_transaction(connection):
            result = execute(sql, params, many, context)
            bump_version(self.alias, settings=settings)
            return result
        if connection.get_autocommit():
            if connection.vendor == "sqlite":
                # SQLite cannot commit while the caller has not read the rows
                # of an INSERT ... RETURNING; one file on one machine, no
                # connection to break between the two statements.
                result = execute(sql, params, many, context)
                bump_version(self.alias, settings=settings)
                return result
            # A statement that would commit on its own: made a transaction
            # with the version, so that both commit together.
            with transaction.atomic(using=self.alias):
                result = execute(sql, params, many, context)
                self.pending = True
                self.pending_settings = self.pending_settings or settings
            return result
        result = execute(sql, params, many, context)
        self.pending = True
        self.pending_settings = self.pending_settings or settings
        return result


def _commit_hook(connection, watcher, commit, rollback):
    """Wrap the connection's COMMIT and ROLLBACK (Django offers no hook before
    a commit): the version moves just before a COMMIT of a transaction that
    wrote to a shown table; a ROLLBACK forgets it."""

    def commit_with_version():
        if watcher.pending and connection.connection is not None:
            # An error here rolls the whole transaction back.
            bump_version(watcher.alias, settings=watcher.pending_settings)
        watcher.pending = watcher.pending_settings = False
        return commit()

    def rollback_forgetting():
        watcher.pending = watcher.pending_settings = False
        return rollback()

    connection._commit, connection._rollback = commit_with_version, rollback_forgetting
    connection._agora_commit_hook = watcher


def _uncached_update(table: str, sql: str) -> bool:
    """An UPDATE that only sets columns no cached page shows."""
    return _only_columns(UNCACHED_COLUMNS, table, sql)


def _only_columns(columns_of: dict[str, frozenset], table: str, sql: str) -> bool:
    """An UPDATE of `table` that only sets columns among `columns_of[table]`."""
    columns = columns_of.get(table)
    if not columns or not sql.lstrip()[:6].upper() == "UPDATE":
        return False
    head = sql.split(" WHERE ", 1)[0]
    if " SET " not in head:
        return False
    assigned = set(_SET_COLUMNS.findall("SET " + head.split(" SET ", 1)[1]))
    return bool(assigned) and assigned <= columns


def _watch(sender, connection, **kwargs):
    watcher = getattr(connection, "_agora_commit_hook", None)
    if watcher is None:
        watcher = _WriteWatcher(connection.alias)
        _commit_hook(connection, watcher, connection._commit, connection._rollback)
    watcher.pending = watcher.pending_settings = False  # a new connection: nothing of a broken one is pending
    if watcher not in connection.execute_wrappers:
        connection.execute_wrappers.append(watcher)


def install() -> None:
    """Watch the writes of every connection (called from CoreConfig.ready)."""
    connection_created.connect(_watch, dispatch_uid="agora-pagecache-watch")
    for alias in connections:
        if connections[alias].connection is not None:  # already open (e.g. in a shell)
            _watch(None, connections[alias])


# --------------------------------------------------------------------------- memo

# Within a component page (see agora.components.access.component_view) the
# settings version read at the start of the request is in this variable, and
# what the page loads that only changes with the settings (the component, its
# phases, a budget and its projects' costs, eligibility rules, categories...)
# is kept per process for that version and at most MEMO_SECONDS: a page read
# during a vote skips those queries. The settings version moves with every
# write the content version reports except those of PARTICIPATION_TABLES, so
# supports and comments (which move the content version, for the cached pages)
# leave the memo warm; a memo must never keep what those tables hold.
#
# What a write depends on is never taken from here: inside a transaction
# (every service) memo() always loads from the database, so a vote closed on
# another server is refused at once even if the version did not move (a
# process whose clock of versions is behind, a write made outside Agora), and
# the services re-read the component, its phases and the budget they act on
# inside their transaction (agora.components.selectors.for_write).
_scope_version: contextvars.ContextVar[int | None] = contextvars.ContextVar("agora_content_version", default=None)
_memo: dict = {}
MEMO_ENTRIES = 5000


def memo_seconds() -> float:
    return getattr(settings, "AGORA_MEMO_SECONDS", 5)


@contextlib.contextmanager
def memo_scope(version: int | None = None):
    """Memoise by settings version inside the block (one request; `version`:
    the one the request read first, `request.settings_version`, see
    OrganizationMiddleware)."""
    token = _scope_version.set(settings_version() if version is None else version)
    try:
        yield
    finally:
        _scope_version.reset(token)


def _in_write_transaction(using: str = "default") -> bool:
    """Inside transaction.atomic() (the atomic blocks of a test case excepted)."""
    connection = connections[using]
    return connection.in_atomic_block and any(
        not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def memo(key, load):
    """``load()``, or what it gave in this process for the same key and the
    current settings version less than MEMO_SECONDS ago. Outside a
    :func:`memo_scope` and inside a transaction (a write), always ``load()``.
    The value is shared between requests: callers hand out copies of what
    they may change."""
    version = _scope_version.get()
    if version is None or _in_write_transaction():
        return load()
    now = time.monotonic()
    found = _memo.get(key)
    if found is not None and found[0] == version and found[1] > now:
        return found[2]
    value = load()
    if len(_memo) >= MEMO_ENTRIES:
        _memo.clear()
    _memo[key] = (version, now + memo_seconds(), value)
    return value


def forget_memo() -> None:
    _memo.clear()
    _by_content.clear()
    _large_by_content.clear()


# What a page computes from content that participants change all day (the
# length of a list of ideas, the ids a list holds), kept per process for the
# *content* version the request read (request.content_version) and at most
# MEMO_SECONDS. Any committed write of a table public pages show moves that
# version, so what is kept for it is what the database held at that version.
# During a storm of supports the version moves at each one and the value is
# computed again, as without this memo; while people read, the work is saved.
# Never for a write: inside a transaction nothing is taken from here.
_by_content: dict = {}
_large_by_content: dict = {}
# Large values (a list's ids: about 80 kB for 10,000 ideas) are fewer.
LARGE_ENTRIES = 64


def content_memo(key, version: int | None, load, *, large: bool = False):
    """``load()``, or what it gave in this process for `key` at content
    `version` less than MEMO_SECONDS ago (`version` None: always ``load()``)."""
    if version is None or _in_write_transaction():
        return load()
    store = _large_by_content if large else _by_content
    now = time.monotonic()
    found = store.get(key)
    if found is not None and found[0] == version and found[1] > now:
        return found[2]
    value = load()
    if len(store) >= (LARGE_ENTRIES if large else MEMO_ENTRIES):
        store.clear()
    store[key] = (version, now + memo_seconds(), value)
    return value


def counted(key, version: int | None) -> int | None:
    """The count kept for `key` at content `version` (keep_count), or None."""
    if version is None or _in_write_transaction():
        return None
    found = _by_content.get(key)
    if found is not None and found[0] == version and found[1] > time.monotonic():
        return found[2]
    return None


def keep_count(key, version: int | None, value: int) -> None:
    """Keep a count computed with other work (a list's length read with its ids)."""
    if version is None or _in_write_transaction():
        return
    if len(_by_content) >= MEMO_ENTRIES:
        _by_content.clear()
    _by_content[key] = (version, time.monotonic() + memo_seconds(), value)


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
    # The theme the visitor chose is on the page's <html>.
    raw = "\n".join(
        (request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.get_full_path(), vary, theme_of(request))
    )
    return f"page:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _stored(response, nonce: str | None = None) -> tuple[str, str, list[tuple[str, str]]] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    charset = response.charset or "utf-8"
    body = _TOKEN.sub(lambda m: m.group(1) + PLACEHOLDER + '"', response.content.decode(charset))
    if nonce:
        body = body.replace(f'nonce="{nonce}"', f'nonce="{NONCE_PLACEHOLDER}"')
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    return body, charset, headers


def _replay(request, stored) -> HttpResponse:
    body, charset, headers = stored
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in body:
        # Reading request.csp_nonce makes the CSP middleware put it in this response's header.
        body = body.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
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
    version = getattr(request, "content_version", None)
    key = _key(request, vary, current_version() if version is None else version)
    stored = cache.get(key)
    if stored is not None:
        return _replay(request, stored)
    response = render()
    # The nonce the page was rendered with, if it used one (django-csp makes it on first use).
    entry = _stored(response, getattr(request, "_csp_nonce", None))
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
