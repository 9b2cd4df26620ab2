"""Surveys at scale (issue 17): a 20-question survey with 100,000 answer sets
on PostgreSQL; the results pages, the full CSV export, then 32 concurrent
respondents through gunicorn.

    .venv/bin/python bench/survey.py [--answers 100000] [--respondents 2000] [--clients 32] [--workers 8]

With DATABASE_URL=postgres://... that database is dropped and re-created
(never point it at real data); without it a throw-away PostgreSQL cluster is
started in a temporary directory (bench/_http_load.py).

1. The answer sets are generated (agora.questionnaires.seeding: checked like
   any answers, written in bulk, the result counters moved).
2. The officer's results page and the public results page are asked 30 times
   each through Django's test client: p95 (they read the counters, never the
   answers).
3. The CSV export of every answer is read to the end in a child process:
   seconds and the child's peak resident memory.
4. Respondents (accounts with sessions) send the survey (one page: one POST
   each) through gunicorn, `--clients` at a time: answer sets per second,
   p95, errors.
Integrity: one response per respondent, every response acknowledged, the
survey's count and every question's "answered" counter equal to the rows.
Last line: RESULT answers=<n> results_p95_ms=<n> export_s=<n> export_rss_mb=<n>
submit_per_s=<n> submit_p95_ms=<n> errors=<n> integrity=<ok|failed>
Targets: results p95 < 300 ms, export < 60 s and < 300 MB, >= 100 answer sets/s with p95 < 300 ms,
0 errors, integrity ok."""

import argparse
import multiprocessing
import os
import random
import resource
import string
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _http_load import HOST, database, form_headers, gunicorn, load, percentile  # noqa: E402

CHUNK = 2000


def questions_spec():
    """20 questions, on one page (a respondent sends them in one POST): those of the demo's survey
    without its titles, page breaks and file upload, and single choices to make 20; two conditions."""
    from agora.core.translations import tr
    from agora.demo.surveys import QUESTIONS

    kept = [index for index, item in enumerate(QUESTIONS) if item["kind"] not in ("page_break", "section", "file")]
    new_index = {old: new for new, old in enumerate(kept)}
    spec = []
    for old in kept:
        item = dict(QUESTIONS[old])
        item["conditions"] = [(new_index[source], *rest) for source, *rest in item.get("conditions", [])]
        spec.append(item)
    extra = [
        {"kind": "single", "title": tr(f"Question de plus {n}"), "options": [tr("Oui"), tr("Non"), tr("Peut-être")]}
        for n in range(20 - len(spec))
    ]
    return spec + extra


def build(answers: int, respondents: int):
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.components.models import Component
    from agora.components.surveys import services
    from agora.components.surveys.models import Response, Survey
    from agora.core.models import Organization, TermsVersion
    from agora.questionnaires import seeding, selectors
    from agora.spaces.models import Phase, Role, Space

    organization = Organization.objects.create(name="Bench", host=HOST, available_languages=["fr", "en"])
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    space = Space.objects.create(
        organization=organization, kind="process", slug="velo", title={"fr": "Vélo"}, published_at=timezone.now()
    )
    phase = Phase.objects.create(space=space, title={"fr": "Questionnaire"}, is_active=True)
    component = Component.objects.create(
        space=space,
        manifest_name="surveys",
        name={"fr": "Questionnaire"},
        published_at=timezone.now(),
        settings={"confirmation_email": True},
        phase_settings={str(phase.pk): {"answers_enabled": True}},
    )
    survey = services.ensure_survey(component)
    seeding.build(survey.questionnaire, questions_spec())
    questions = selectors.questions_of(survey.questionnaire)
    texts = {
        q.pk: ["Plus de pistes.", "Des arceaux à la gare.", "Moins de voitures."]
        for q in questions
        if q.kind in ("short_text", "long_text")
    }
    rng = random.Random(17)
    now = timezone.now()
    for start in range(0, answers, CHUNK):
        count = min(CHUNK, answers - start)
        sets = seeding.bulk_answers(
            survey.questionnaire, [seeding.random_values(questions, rng, texts=texts) for _n in range(count)]
        )
        Response.objects.bulk_create(
            [
                Response(survey=survey, answer_set=s, session_key=f"bench-{start + n}", created_at=now)
                for n, s in enumerate(sets)
            ]
        )
    services.recount(survey)
    Survey.objects.filter(pk=survey.pk).update(
        results_published_at=now,
        published_questions=[q.pk for q in questions if q.has_options or q.kind == "scale"],
    )
    officer = User.objects.create(email="officer@example.org", nickname="officer", name="Agent", password="!")
    Membership.objects.create(user=officer, organization=organization, accepted_terms_version=1, accepted_terms_at=now)
    EmailAddress.objects.create(user=officer, email=officer.email, verified=True, primary=True)
    Role.objects.create(user=officer, organization=organization, space=space, name=Role.Name.SPACE_ADMIN)
    people = User.objects.bulk_create(
        [
            User(email=f"resident{n}@example.org", nickname=f"resident{n}", name=f"Habitant {n}", password="!")
            for n in range(respondents)
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, organization=organization, accepted_terms_version=1, accepted_terms_at=now)
            for u in people
        ],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people], batch_size=1000
    )
    backend, sessions, rows = settings.AUTHENTICATION_BACKENDS[0], [], []
    for user in people:
        store = SessionStore()
        key = store._get_new_session_key()  # type: ignore[attr-defined]
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: user.get_session_auth_hash()}
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=now + timedelta(days=1)))
        sessions.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return component, survey, officer, sessions


def time_pages(component, officer, repeat=30):
    from django.test import Client
    from django.urls import reverse

    public, staff = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    staff.force_login(officer)
    pages = [
        (public, reverse("surveys:results", kwargs=component.url_kwargs())),
        (
            staff,
            reverse("surveys_admin:results", kwargs={"space_id": component.space_id, "component_id": component.pk}),
        ),
    ]
    timings = []
    for client, path in pages:
        client.get(path)  # warm
        for _n in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
    return percentile(timings, 0.95) * 1000


def _export(survey_id, queue):
    from django.db import connections

    connections.close_all()
    from agora.components.surveys import exports
    from agora.components.surveys.models import Survey
    from agora.questionnaires import selectors

    survey = Survey.objects.select_related("questionnaire").get(pk=survey_id)
    started, size, lines = time.perf_counter(), 0, 0
    for chunk in exports.csv_lines(survey, selectors.questions_of(survey.questionnaire)):
        size += len(chunk)
        lines += 1
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((time.perf_counter() - started, peak_kb / 1024, lines - 2, size))


def submissions(component, sessions, session_cookie):
    """One POST per respondent: the whole survey (one page) sent at once, built before the clock starts."""
    from agora.questionnaires import answers, seeding, selectors

    questions = selectors.questions_of(component.survey.questionnaire)
    rng, alphabet, todo = random.Random(2027), string.ascii_letters + string.digits, []
    texts = {q.pk: ["Une remarque."] for q in questions if q.kind in ("short_text", "long_text")}
    path = component.get_absolute_url() + "answer/"
    for session in sessions:
        raw, _stored = answers.as_fields(questions, seeding.random_values(questions, rng, texts=texts, skip=0))
        csrf = "".join(rng.choice(alphabet) for _ in range(32))
        fields = [("csrfmiddlewaretoken", csrf), ("page", "0"), ("go", "submit")]
        fields += [(name, value) for name, values in raw.items() for value in values]
        todo.append(("POST", path, urlencode(fields).encode(), form_headers(session_cookie, session, csrf)))
    return todo


def integrity(survey, acknowledged):
    from django.db.models import Count, Sum

    from agora.components.surveys.models import Response
    from agora.components.surveys.selectors import answer_count
    from agora.questionnaires.models import Answer, Tally

    problems = []
    responses = Response.objects.filter(survey=survey)
    people = responses.exclude(respondent=None)
    distinct = people.aggregate(n=Count("respondent", distinct=True))["n"]
    if people.count() != distinct:
        problems.append(f"{people.count()} responses for {distinct} respondents")
    if people.count() != acknowledged:
        problems.append(f"{people.count()} responses stored, {acknowledged} acknowledged")
    count = answer_count(survey)
    if count != responses.count():
        problems.append(f"answer_count {count} for {responses.count()} responses")
    answered = dict(
        Answer.objects.filter(answer_set__in=responses.values("answer_set_id"))
        .values_list("question_id")
        .annotate(n=Count("answer_set_id", distinct=True))
    )
    counters = dict(
        Tally.objects.filter(question__questionnaire=survey.questionnaire, key="answered")
        .values_list("question_id")
        .annotate(n=Sum("count"))
    )
    wrong = [pk for pk in set(answered) | set(counters) if answered.get(pk, 0) != counters.get(pk, 0)]
    if wrong:
        problems.append(f"the 'answered' counters of questions {sorted(wrong)} differ from the rows")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    with database("survey", quiet=True):
        from django.conf import settings
        from django.db import connections

        settings.ALLOWED_HOSTS = ["*"]
        started = time.perf_counter()
        component, survey, officer, sessions = build(args.answers, args.respondents)
        print(
            f"Built {args.answers} answer sets and {args.respondents} respondents in "
            f"{time.perf_counter() - started:.1f} s"
        )
        results_p95 = time_pages(component, officer)
        print(f"  results pages (officer's and public): p95 {results_p95:.1f} ms")
        connections.close_all()
        queue: multiprocessing.Queue = multiprocessing.Queue()
        child = multiprocessing.Process(target=_export, args=(survey.pk, queue))
        child.start()
        export_s, export_mb, exported, size = queue.get()
        child.join()
        print(f"  CSV export: {exported} rows, {size / 1e6:.1f} MB in {export_s:.1f} s, peak RSS {export_mb:.0f} MB")
        requests = submissions(component, sessions, settings.SESSION_COOKIE_NAME)
        with gunicorn(workers=args.workers, probe=component.get_absolute_url()) as server:
            outcome = load(requests, clients=args.clients, port=server.port)
        timings, errors, statuses, seconds = outcome.timings, outcome.errors, outcome.statuses, outcome.seconds
        problems = integrity(survey, len(timings))

    rate = len(timings) / seconds if seconds else 0.0
    submit_p95 = percentile(timings, 0.95) * 1000
    print(
        f"  submissions: {statuses}, {rate:.1f} answer sets/s, p95 {submit_p95:.1f} ms, errors {errors} "
        f"({args.clients} clients, {args.workers} gunicorn workers, load {os.getloadavg()[0]:.2f})"
    )
    print("  integrity: " + ("ok" if not problems else "FAILED: " + "; ".join(problems)))
    print(
        f"RESULT answers={args.answers} results_p95_ms={results_p95:.1f} export_s={export_s:.1f} "
        f"export_rss_mb={export_mb:.0f} submit_per_s={rate:.1f} submit_p95_ms={submit_p95:.1f} errors={errors} "
        f"integrity={'ok' if not problems else 'failed'}"
    )


if __name__ == "__main__":
    main()
