"""CPU per request of the logged-in ideas list, in one process (Django's test
client, no HTTP server, no other load): what a change costs or saves,
measured without the full benchmark and without the two cores to oneself.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/<a copy of agora_bench_proposals> \\
        .venv/bin/python bench/proposals_list_cpu.py [--requests 400] [--profile out.prof]

The database must hold the data of `bench/proposals_list.py` (10,000 ideas):
copy the bench's database rather than pointing at it (this script adds a
participant's session, as `proposals_list.participants` does), e.g.
`createdb -T agora_bench_proposals agora_mine` or pg_dump | psql. Prints the
SQL queries of each list URL (warm memo, then right after a change of
settings), then the milliseconds per request: wall clock, this process's CPU
and the PostgreSQL backend's CPU (read from /proc, same machine), over the
bench's list URLs in turn. The last line:

    RESULT ms_cpu_app=<n> ms_cpu_postgres=<n> ms_cpu_total=<n> queries_warm=<n> queries_cold=<n>"""

import argparse
import cProfile
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", default="", help="write a cProfile of the timed requests to this file")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a copy of the bench's PostgreSQL database.")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "agora.settings",
            "AGORA_ALLOWED_HOSTS": "127.0.0.1",
            "AGORA_DEBUG": "false",
            "AGORA_SIMPLE_STATIC": "1",
        }
    )
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import proposals_list as bench
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agora.core import pagecache

    component = bench.existing(10_000)
    if component is None:
        sys.exit("No bench data in this database (bench/proposals_list.py builds it).")
    key = bench.participants(component, 1)[0]
    base = component.get_absolute_url()
    _ids, categories = bench.sample(component)
    paths = [
        base,
        f"{base}?page=2",
        f"{base}?page=40",
        f"{base}?order=recent&page=7",
        f"{base}?q=velo+arbre",
        f"{base}?order=most_commented&page=3",
        f"{base}?category={categories[1].pk}&order=recent",
    ]
    client = Client(HTTP_HOST=bench.HOST)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    warm = 0
    for path in paths:
        assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        warm = max(warm, len(queries))
        print(f"{len(queries):3d} queries  {path}")
    pagecache.bump_version()
    with CaptureQueriesContext(connection) as queries:
        client.get(paths[0])
    cold = len(queries)
    print(f"{cold:3d} queries  {paths[0]} right after a change of settings")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    for path in paths:
        client.get(path)
    profile = cProfile.Profile() if args.profile else None
    postgres, started, cpu = backend_cpu(), time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    for n in range(args.requests):
        client.get(paths[n % len(paths)])
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    wall = (time.perf_counter() - started) * 1000 / args.requests
    app = (time.process_time() - cpu) * 1000 / args.requests
    database = (backend_cpu() - postgres) * 1000 / args.requests
    print(f"{args.requests} requests: {wall:.2f} ms wall, CPU {app:.2f} ms here + {database:.2f} ms PostgreSQL")
    print(
        f"RESULT ms_cpu_app={app:.2f} ms_cpu_postgres={database:.2f} ms_cpu_total={app + database:.2f} "
        f"queries_warm={warm} queries_cold={cold}"
    )


if __name__ == "__main__":
    main()
