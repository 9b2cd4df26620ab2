"""The open-data zips of a city with 100,000 ballots, 10,000 ideas and 50,000
comments: how long does the nightly build take, and how much memory at most?

    flock /work/wt/bench.lock .venv/bin/python bench/open_data.py [--ballots 100000] [--ideas 10000] [--comments 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/agora_bench \\
        flock /work/wt/bench.lock .venv/bin/python bench/open_data.py

Without DATABASE_URL the city is built in a temporary SQLite file. With a
PostgreSQL DATABASE_URL the script works in its own database, named after it
with "_opendata" added, dropped and re-created (never point it at real data);
`--reuse` keeps a city this script built before. The city reuses the ideas'
data set of bench/proposals_list.py (10,000 ideas in one component, supports,
0 to 9 comments each), topped up to --comments comments (a third of them
replies), plus a budgets component with 20 projects and --ballots anonymous
ballots whose count is published (its open record, the pabulib file, frozen).

The build (`agora.opendata.services.build`: the organization's zip and one per
component, stored) runs in a child process, so that its peak resident memory
(ru_maxrss, Django loaded included) is the build's alone, not the data set's.
Prints the size of the zips and the rows of each CSV. Targets: under 60 s and
under 300 MB. The last line (bench/api.py parses it):

    RESULT opendata_s=<n> opendata_rss_mb=<n>"""

import argparse
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
HOST = "opendata-bench.example"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _own_database(url: str) -> str:
    """The PostgreSQL database of this script: DATABASE_URL's name + "_opendata"."""
    parsed = urlparse(url)
    return parsed._replace(path="/" + parsed.path.lstrip("/") + "_opendata").geturl()


def _reset_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(ballots: int, ideas: int, comments: int) -> int:
    import proposals_list
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from agora.comments.models import Comment
    from agora.components.budgets.counting import count, to_pabulib
    from agora.components.budgets.models import Ballot, BallotRecord, Budget, Choice, Project
    from agora.components.models import Component
    from agora.components.proposals.models import Proposal
    from agora.core.models import Organization
    from agora.tally import pabulib

    started = time.perf_counter()
    component = proposals_list.build(ideas, 1000, 20)  # ideas, supporters, supports each
    organization = component.space.organization
    Organization.objects.filter(pk=organization.pk).update(host=HOST)
    space = component.space
    rng = random.Random(2)
    # Comments topped up to the number asked: replies to the existing ones, then top comments.
    idea_type = ContentType.objects.get_for_model(Proposal)
    existing = list(Comment.objects.filter(component=component).values_list("pk", "object_id", "author_id"))
    missing = max(0, comments - len(existing))
    replies = min(missing // 3, len(existing))
    ids = list(Proposal.objects.filter(component=component).values_list("pk", flat=True))
    authors: list[int | None] = [author for _pk, _object, author in existing[:1000]] or [None]
    rows = [
        Comment(
            content_type=idea_type,
            object_id=object_id,
            organization=organization,
            space=space,
            component=component,
            author_id=author,
            parent_id=parent,
            root_id=parent,
            depth=1,
            body="Je suis d'accord, et il faudrait aussi penser aux enfants du quartier.",
            alignment=rng.choice((-1, 0, 1)),
        )
        for parent, object_id, author in rng.sample(existing, replies)
    ]
    rows += [
        Comment(
            content_type=idea_type,
            object_id=rng.choice(ids),
            organization=organization,
            space=space,
            component=component,
            author_id=rng.choice(authors),
            body="=Une remarque qui commence comme une formule, et un texte assez long pour peser un peu.",
        )
        for _n in range(missing - replies)
    ]
    Comment.objects.bulk_create(rows, batch_size=5000)
    del rows, existing

    # A participatory budget with its published count and open record.
    budgets = Component.objects.create(
        space=space, manifest_name="budgets", name={"fr": "Budget participatif"}, published_at=timezone.now()
    )
    budget = Budget.objects.create(component=budgets, title={"fr": "Budget 2026"}, envelope=1_000_000)
    projects = Project.objects.bulk_create(
        [
            Project(
                budget=budget,
                component=budgets,
                title={"fr": f"Projet {n}", "en": f"Project {n}"},
                cost=rng.randint(2, 30) * 10_000,
            )
            for n in range(20)
        ]
    )
    votes = dict.fromkeys((project.pk for project in projects), 0)
    for start in range(0, ballots, 5000):
        batch = Ballot.objects.bulk_create(
            [
                Ballot(budget=budget, channel="paper", receipt=secrets.token_hex(8), public_id=secrets.token_hex(8))
                for _n in range(min(5000, ballots - start))
            ]
        )
        choices = []
        for ballot in batch:
            for project in rng.sample(projects, 3):
                choices.append(Choice(ballot=ballot, project=project))
                votes[project.pk] += 1
        Choice.objects.bulk_create(choices, batch_size=5000)
    for project in projects:
        project.votes_paper = votes[project.pk]
    Project.objects.bulk_update(projects, ["votes_paper"])
    budget.result = count(budget)
    budget.results_published_at = timezone.now()
    budget.save()
    text = pabulib.dumps(to_pabulib(budget, public=True))
    BallotRecord.objects.create(budget=budget, pb_text=text, sha256="0" * 64, ballots=ballots)
    print(
        f"city built in {time.perf_counter() - started:.1f} s: {ideas} ideas, "
        f"{Comment.objects.filter(organization=organization).count()} comments, {ballots} ballots "
        f"(open record {len(text) / 1e6:.1f} MB)",
        flush=True,
    )
    return organization.pk


def measure(organization_id: int) -> None:
    """The child process: one build, timed, and its peak memory."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from agora.core.models import Organization
    from agora.opendata import services

    organization = Organization.objects.get(pk=organization_id)
    started = time.perf_counter()
    files = services.build(organization)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for file in files:
        label = "organization" if file.component_id is None else f"component {file.component_id}"
        print(f"  {label:<14} {file.size / 1e6:7.1f} MB  {file.rows}")
    print(f"MEASURED seconds={seconds:.2f} peak_mb={peak_mb:.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--reuse", action="store_true", help="keep the city a previous run built (PostgreSQL)")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        url = _own_database(url)
        if not args.reuse:
            _reset_database(url)
        os.environ["DATABASE_URL"] = url
    from _setup import start

    os.environ["DATABASE_URL"] = start("open_data")
    from agora.core.models import Organization

    found = Organization.objects.filter(host=HOST).first()
    organization_id = found.pk if found is not None and args.reuse else build(args.ballots, args.ideas, args.comments)
    from django.db import connections

    connections.close_all()
    print(f"load average: {open('/proc/loadavg').read().strip()}", flush=True)
    media = tempfile.mkdtemp(prefix="agora-bench-opendata-media-")  # the zips are stored there, then removed
    child = subprocess.run(
        [sys.executable, __file__, "--measure", str(organization_id)],
        env={**os.environ, "AGORA_MEDIA_ROOT": media, "AGORA_PRIVATE_MEDIA_ROOT": media + "/private"},
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(media, ignore_errors=True)
    sys.stdout.write(child.stdout)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit(f"the build failed (exit {child.returncode})")
    measured = dict(
        part.split("=")
        for line in child.stdout.splitlines()
        if line.startswith("MEASURED")
        for part in line.split()[1:]
    )
    seconds, peak = float(measured["seconds"]), float(measured["peak_mb"])
    met = seconds < 60 and peak < 300
    print(
        f"build: {seconds:.1f} s, peak memory {peak:.0f} MB (targets: < 60 s, < 300 MB: {'met' if met else 'MISSED'})"
    )
    print(f"RESULT opendata_s={seconds:.1f} opendata_rss_mb={peak:.0f}")


if __name__ == "__main__":
    main()
