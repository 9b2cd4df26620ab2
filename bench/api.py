"""The public API's ideas endpoint with the 10,000-idea data set of
bench/proposals_list.py (its data building, reused), served by gunicorn against
PostgreSQL, loaded from a second process over loopback; then the open-data zip
(bench/open_data.py, run as a subprocess when it exists, its RESULT line parsed).

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/agora_bench_api \\
        .venv/bin/python bench/api.py [--seconds 20] [--threads 8] [--workers 8] [--reuse] [--no-open-data]

A smoke run on a tiny data set: --ideas 200 --supporters 30 --supports-each 5 --seconds 2 --no-open-data.

The database named in DATABASE_URL is dropped and re-created (never point it at
real data); --reuse keeps one this script (or bench/proposals_list.py) built.
The requests vary: the first page, pages deep in the list (cursors), filters by
category, state, status and dates, several page sizes, single ideas. The rate
limit per address stays on (its cost is measured) with a limit no client
reaches: every request of the bench comes from one address. Reads are served
from the page cache for the content version (docs/api.md), as in production;
--no-page-cache turns it off to measure every answer computed.

Targets: the ideas endpoint >= 200 requests/s and p95 < 100 ms. Last line:

    RESULT api_per_s=<n> api_p95_ms=<n> opendata_s=<n> opendata_rss_mb=<n>
    (opendata_* are "na" when bench/open_data.py does not exist or is skipped)"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import proposals_list as data  # noqa: E402  (the 10,000-idea data set and the load generator)

HOST = data.HOST


def urls(component) -> dict[str, list[str]]:
    """Varied requests of the ideas endpoint: filters, page sizes, cursors deep in the list."""
    from agora.api.kit import encode_cursor
    from agora.components.proposals.models import Proposal, ProposalState

    ids = list(
        Proposal.objects.filter(component=component)
        .exclude(status="draft")
        .order_by("-id")
        .values_list("id", flat=True)
    )
    sample_ids, categories = data.sample(component)
    state = ProposalState.objects.filter(component=component).first()
    base = "/api/v1/proposals/ideas"
    cursors = [encode_cursor(ids[n]) for n in (19, 199, len(ids) // 2, len(ids) - 30) if n < len(ids)]
    today = time.strftime("%Y-%m-%d")
    return {
        "ideas, pages": [
            base,
            f"{base}?limit=50",
            f"{base}?limit=100",
            *[f"{base}?cursor={cursor}" for cursor in cursors],
            *[f"{base}?limit=50&cursor={cursor}" for cursor in cursors],
        ],
        "ideas, filters": [
            *[f"{base}?category={category.pk}" for category in categories],
            f"{base}?category={categories[0].pk}&cursor={cursors[1]}" if cursors[1:] else base,
            f"{base}?state=withdrawn",
            f"{base}?state=none&limit=50",
            f"{base}?state={state.pk}" if state else base,
            f"{base}?since={today}&until={today}",
            f"{base}?space=bench&component={component.pk}",
        ],
        "an idea": [f"{base}/{pk}" for pk in sample_ids],
    }


def open_data(args) -> tuple[str, str]:
    """(seconds, MB) from bench/open_data.py's RESULT line; ("na", "na") without it."""
    script = ROOT / "bench" / "open_data.py"
    if args.no_open_data or not script.exists():
        print("\nOpen data: " + ("skipped (--no-open-data)" if args.no_open_data else "bench/open_data.py not found"))
        return "na", "na"
    print(f"\nOpen data: {script.name} {' '.join(args.open_data_args)}")
    run = subprocess.run(
        [sys.executable, str(script), *args.open_data_args],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    print(run.stdout[-3000:], end="")
    if run.returncode != 0:
        print(run.stderr[-3000:], file=sys.stderr)
    found = re.findall(r"RESULT .*opendata_s=(\S+) opendata_rss_mb=(\S+)", run.stdout)
    return found[-1] if found else ("na", "na")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--supporters", type=int, default=1_000)
    parser.add_argument("--supports-each", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=8, help="gunicorn sync workers (docs/deployment.md)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--reuse", action="store_true", help="keep the database of a previous run with the same data")
    parser.add_argument("--no-open-data", action="store_true", help="measure the API only")
    parser.add_argument(
        "--no-page-cache", action="store_true", help="compute every answer (AGORA_PAGE_CACHE_SECONDS=0)"
    )
    parser.add_argument(
        "--open-data-args", nargs="*", default=[], help="arguments given to bench/open_data.py (its sizes)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database this script may drop and re-create.")
    if not args.reuse:
        data._reset_database(url)
    static_root = tempfile.mkdtemp(prefix="agora-bench-static-")
    os.environ.update(
        {
            "AGORA_STATIC_ROOT": static_root,
            "AGORA_ALLOWED_HOSTS": HOST,
            "AGORA_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "agora.settings",
            # On, with a limit the bench's one address does not reach: its cost is in the figures.
            "AGORA_API_RATE_PER_MINUTE": "100000000",
        }
    )
    os.environ.pop("AGORA_SIMPLE_STATIC", None)
    if args.no_page_cache:
        os.environ["AGORA_PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    component = data.existing(args.ideas) if args.reuse else None
    if component is None:
        if args.reuse:
            connections.close_all()
            data._reset_database(url)
            call_command("migrate", verbosity=0, interactive=False)
            call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        component = data.build(args.ideas, args.supporters, args.supports_each)
        print(f"Built {args.ideas} ideas in {time.perf_counter() - started:.1f} s")
    else:
        print(f"Reusing the {args.ideas} ideas of a previous run")
    requests = urls(component)
    connections.close_all()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "agora.wsgi:application",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--preload",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection(HOST, args.port, timeout=2)
                probe.request("GET", requests["ideas, pages"][0], headers={"Host": HOST})
                answer = probe.getresponse()
                answer.read()
                if answer.status != 200:
                    sys.exit(f"The ideas endpoint answered {answer.status}")
                break
            except OSError:
                time.sleep(0.2)
        run = data._run(requests, args)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(static_root, ignore_errors=True)
    cache = "every answer computed" if args.no_page_cache else "page cache on"
    rate, p95 = data._report(f"The ideas endpoint (/api/v1/proposals/ideas), anonymous, {cache}", run, args)
    met = rate >= 200 and p95 < 100 and not run["errors"]
    print(f"Targets: >= 200 req/s and p95 < 100 ms: {'met' if met else 'missed'}")
    seconds, megabytes = open_data(args)
    print(f"RESULT api_per_s={rate:.1f} api_p95_ms={p95:.1f} opendata_s={seconds} opendata_rss_mb={megabytes}")


if __name__ == "__main__":
    main()
