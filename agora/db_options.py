"""Connection options of PostgreSQL, from the environment (see
docs/deployment.md, "PostgreSQL").

Timeouts are set by the application on each connection (libpq `options`),
so they hold whatever the server's configuration, and TCP keepalives on
both ends find a peer that vanished (a network partition: no FIN ever
comes). Two sets:

- web processes (gunicorn, and the test suite): a statement may run 30 s,
  like gunicorn's request timeout (beyond it the worker is killed anyway);
  waiting for a row lock gives up after 10 s (the person gets the "try again
  in a moment" page, instead of queueing behind a stuck transaction); a
  transaction left idle more than 20 s is ended by the server, with its locks
  (a worker killed mid-request during a partition left such transactions
  holding vote-counter rows);
- commands (`manage.py`: migrations, db_worker, exports, tallies,
  sync_phases): no statement or lock timeout by default (a migration or an
  export of a large vote may legitimately run long), idle transactions ended
  after 10 minutes.
"""

from agora.env import env_bool, env_int, env_str


def postgres_options(*, command: bool, given: dict | None = None) -> dict:
    """OPTIONS of the PostgreSQL database (psycopg connection parameters),
    added to `given` (what DATABASE_URL already set)."""
    options = dict(given or {})
    prefix = "AGORA_DB_COMMAND_" if command else "AGORA_DB_"
    if env_bool("AGORA_DB_STARTUP_OPTIONS", True):  # PgBouncer refuses them: set them per role there
        settings = {
            "statement_timeout": env_str(prefix + "STATEMENT_TIMEOUT", "0" if command else "30s"),
            "lock_timeout": env_str(prefix + "LOCK_TIMEOUT", "0" if command else "10s"),
            "idle_in_transaction_session_timeout": env_str(
                prefix + "IDLE_IN_TRANSACTION_TIMEOUT", "10min" if command else "20s"
            ),
            # The server's side of the keepalives: a client gone without a word is
            # noticed after about a minute and a half, and its transaction rolled back.
            "tcp_keepalives_idle": str(env_int("AGORA_DB_SERVER_KEEPALIVES_IDLE", 60)),
            "tcp_keepalives_interval": str(env_int("AGORA_DB_SERVER_KEEPALIVES_INTERVAL", 10)),
            "tcp_keepalives_count": str(env_int("AGORA_DB_SERVER_KEEPALIVES_COUNT", 3)),
        }
        flags = " ".join(f"-c {name}={value}" for name, value in settings.items())
        options["options"] = f"{options['options']} {flags}" if options.get("options") else flags
    # The client's side: a server gone without a word (failover, partition) is
    # noticed instead of waiting forever on the socket.
    options.setdefault("connect_timeout", env_int("AGORA_DB_CONNECT_TIMEOUT", 5))
    options.setdefault("keepalives", 1)
    options.setdefault("keepalives_idle", env_int("AGORA_DB_KEEPALIVES_IDLE", 30))
    options.setdefault("keepalives_interval", env_int("AGORA_DB_KEEPALIVES_INTERVAL", 10))
    options.setdefault("keepalives_count", env_int("AGORA_DB_KEEPALIVES_COUNT", 3))
    return options
