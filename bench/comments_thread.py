"""A news post with 2,000 comments (threads of three levels, votes,
mentions): how fast does its page open, and with how many SQL queries?

    .venv/bin/python bench/comments_thread.py [--requests 40]

Prints p50/p95 of the page (anonymous and logged-in visitor) and the number
of queries per request. Target: p95 under 300 ms, a fixed number of queries."""

import argparse
import time

from _setup import percentile, start


def build(comments: int):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.comments.models import Comment, CommentVote
    from agora.components.models import Component
    from agora.components.news.models import Post
    from agora.core.models import Organization, TermsVersion
    from agora.spaces.models import Space

    organization = Organization.objects.create(
        name="Bench", host="testserver", available_languages=["fr", "en"], default_language="fr"
    )
    TermsVersion.objects.create(organization=organization, version=1, body={"fr": "ok"})
    space = Space.objects.create(
        organization=organization, kind="process", slug="bench", title={"fr": "Bench"}, published_at=timezone.now()
    )
    component = Component.objects.create(
        space=space, manifest_name="news", name={"fr": "Actualités"}, published_at=timezone.now()
    )
    post = Post.objects.create(
        component=component,
        title={"fr": "Un billet très commenté"},
        body={"fr": "<p>Texte</p>"},
        published_at=timezone.now(),
    )
    people = User.objects.bulk_create(
        [User(email=f"bench{n}@example.org", nickname=f"bench{n}", name=f"Personne {n}") for n in range(200)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=p, organization=organization, accepted_terms_version=1, accepted_terms_at=timezone.now())
            for p in people
        ]
    )
    ct = ContentType.objects.get_for_model(Post)
    common = dict(content_type=ct, object_id=post.pk, organization=organization, space=space, component=component)
    tops = Comment.objects.bulk_create(
        [
            Comment(
                author=people[n % 200],
                body=f"Avis {n} : je pense que @bench{(n + 1) % 200} a raison.\n\nDétails.",
                **common,
            )
            for n in range(comments // 4)
        ]
    )
    Comment.objects.filter(pk__in=[c.pk for c in tops]).update(root_id=models_f("id"))
    replies = Comment.objects.bulk_create(
        [
            Comment(
                author=people[(n + 7) % 200],
                body=f"Réponse {n}",
                parent=tops[n % len(tops)],
                root=tops[n % len(tops)],
                depth=1,
                **common,
            )
            for n in range(comments // 2)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                author=people[(n + 11) % 200],
                body=f"Réponse à la réponse {n}",
                parent=replies[n],
                root=replies[n].root,
                depth=2,
                **common,
            )
            for n in range(comments - len(tops) - len(replies))
        ]
    )
    Comment.mentioned.through.objects.bulk_create(
        [Comment.mentioned.through(comment_id=c.pk, user_id=people[(n + 1) % 200].pk) for n, c in enumerate(tops)]
    )
    CommentVote.objects.bulk_create(
        [CommentVote(comment=tops[n % len(tops)], user=people[n % 200], value=1 if n % 3 else -1) for n in range(1000)]
    )
    return post, people[5]


def models_f(name):
    from django.db.models import F

    return F(name)


def measure(client, url, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up (templates, content types)
    timings, queries = [], set()
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries.add(len(captured))
    return timings, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    options = parser.parse_args()
    database = start("comments")
    from django.test import Client

    from agora.comments.models import Comment

    started = time.perf_counter()
    post, person = build(options.comments)
    print(
        f"database: {database.split('://')[0]}; {Comment.objects.count()} comments on one post "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    url = post.get_absolute_url()
    client = Client()
    for label, page in (
        ("anonymous, page 1", url),
        ("anonymous, page 10", url + "?comments_page=10"),
        ("anonymous, best first", url + "?comments_order=best"),
    ):
        timings, queries = measure(client, page, options.requests)
        print(
            f"{label:28} p50 {percentile(timings, 0.5):6.1f} ms  p95 {percentile(timings, 0.95):6.1f} ms  "
            f"queries {sorted(queries)}"
        )
    client.force_login(person)
    timings, queries = measure(client, url, options.requests)
    print(
        f"{'logged-in participant':28} p50 {percentile(timings, 0.5):6.1f} ms  p95 {percentile(timings, 0.95):6.1f} ms  "
        f"queries {sorted(queries)}"
    )


if __name__ == "__main__":
    main()
