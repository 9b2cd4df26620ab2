"""The SQLite demo never answers 500 "database is locked" under parallel writes ("Also"
of issue 13): people change their ballots, support ideas and vote on comments at the
same moment, each in its own thread and connection, on a file database opened with
the settings' own OPTIONS (immediate transactions, WAL, busy timeout).

The test database is SQLite in memory (or PostgreSQL in CI), not the demo's file; so a
first child process migrates a fresh SQLite file and makes the data, and a second one
runs the parallel requests against that file, whatever database the suite uses."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from agora.testing import factories

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 8

SETUP = r"""
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
call_command("createcachetable", verbosity=0)
settings.AGORA_POSTING_LIMITS = {}
from agora.core.tests.test_sqlite_parallel_writes import _plan
from agora.testing import factories
organization = factories.OrganizationFactory(host="testserver", name="Ville de Test")
factories.TermsVersionFactory(organization=organization, version=1)
plan, people = _plan(organization, factories.SpaceFactory(organization=organization))
print(json.dumps({"plan": plan, "people": [person.pk for person in people]}))
"""

CHILD = r"""
import json, sys, threading
import django
django.setup()
from django.db import connection
from django.test import Client
from agora.accounts.models import User

plan = json.loads(sys.argv[1])
barrier = threading.Barrier(len(plan))
statuses, errors = [], []


def run(step):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(pk=step["user"]))
    barrier.wait()
    try:
        for url, data in step["posts"]:
            statuses.append(client.post(url, data).status_code)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()


threads = [threading.Thread(target=run, args=(step,)) for step in plan]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
from agora.components.budgets.models import Ballot
print(json.dumps({"statuses": statuses, "errors": errors,
                  "ballots": sorted(Ballot.objects.values_list("voter_id", flat=True))}))
"""


def _plan(organization, process):
    from agora.comments.services import create_comment
    from agora.components.budgets.tests.factories import BudgetFactory, ProjectFactory
    from agora.components.news.tests.factories import PostFactory
    from agora.components.proposals.tests.factories import ProposalFactory, ProposalsComponentFactory

    budgets = factories.ComponentFactory(space=process, manifest_name="budgets", settings={"validation": "auto"})
    active = factories.PhaseFactory(space=process, is_active=True)
    budgets.phase_settings = {str(active.pk): {"votes_enabled": True}}
    budgets.save()
    budget = BudgetFactory(component=budgets, envelope=100_000, min_projects=1, max_projects=2)
    projects = [ProjectFactory(budget=budget, cost=10_000) for _ in range(3)]
    ideas_component = ProposalsComponentFactory(space=process)
    ideas = ProposalFactory.create_batch(3, component=ideas_component)
    news = factories.ComponentFactory(space=process, manifest_name="news")
    post = PostFactory(component=news)
    people = []
    for _ in range(PEOPLE):
        person = factories.UserFactory()
        factories.member_of(person, organization)
        people.append(person)
    comments = [create_comment(actor=people[0], target=post, body=f"Avis {n}") for n in range(2)]
    plan = []
    for number, person in enumerate(people):
        posts = []
        for round_ in range(3):
            posts.append(
                (budget.get_absolute_url(), {"project": [projects[(number + round_) % 3].pk], "vote": "1"})
            )  # a ballot, then changes
            posts.append(
                (
                    reverse(
                        "proposals:support", kwargs={**ideas_component.url_kwargs(), "proposal_id": ideas[round_].pk}
                    ),
                    {},
                )
            )
            posts.append(
                (
                    reverse("comments:vote", kwargs={"comment_id": comments[round_ % 2].pk}),
                    {"value": ("up", "down", "none")[(number + round_) % 3]},
                )
            )
        plan.append({"user": person.pk, "posts": posts})
    return plan, people


def test_parallel_ballots_supports_and_comment_votes_never_lock_the_database(tmp_path):
    path = tmp_path / "demo.sqlite3"
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "AGORA_PAGE_CACHE_SECONDS": "0",
        "AGORA_SIMPLE_STATIC": "1",
        "AGORA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    made = json.loads(setup.stdout.strip().splitlines()[-1])
    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(made["plan"])],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == [], outcome["errors"]
    assert "database is locked" not in child.stderr, child.stderr[-3000:]
    assert 500 not in outcome["statuses"], child.stderr[-3000:]
    assert len(outcome["statuses"]) == PEOPLE * 9
    # One ballot per person: the unique constraints still hold (and still raise inside).
    assert outcome["ballots"] == sorted(made["people"])
