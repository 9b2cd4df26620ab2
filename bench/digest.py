"""Daily digest over 50,000 accounts, a few thousand of whom have something new.

    .venv/bin/python bench/digest.py [--accounts 50000] [--with-news 3000]

Prints the time of `send_digests("daily")` and the e-mails sent (only to the
people with pending notifications who chose the daily digest), then checks
that a second run sends nothing."""

import argparse
import time

from _setup import start


def build(accounts: int, with_news: int, per_person: int):
    from django.utils import timezone

    from agora.accounts.models import Membership, User
    from agora.core.models import Organization
    from agora.notifications.models import Notification, Preference

    organization = Organization.objects.create(
        name="Digest", host="digest.example.org", available_languages=["fr", "en"], default_language="fr"
    )
    batch = 5000
    for start_at in range(0, accounts, batch):
        User.objects.bulk_create(
            [
                User(email=f"p{n}@example.org", nickname=f"p{n}", name=f"Personne {n}", password="!")
                for n in range(start_at, min(accounts, start_at + batch))
            ]
        )
    ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    for start_at in range(0, len(ids), batch):
        Membership.objects.bulk_create(
            [
                Membership(
                    user_id=pk, organization=organization, accepted_terms_version=1, accepted_terms_at=timezone.now()
                )
                for pk in ids[start_at : start_at + batch]
            ]
        )
    # Some people chose other frequencies (they must not get the daily digest).
    Preference.objects.bulk_create(
        [
            Preference(
                user_id=pk, organization=organization, email_frequency=("weekly", "none", "immediate", "daily")[n % 4]
            )
            for n, pk in enumerate(ids[::10])
        ]
    )
    step = max(1, len(ids) // with_news)
    receivers = ids[::step][:with_news]
    actor = ids[-1]
    rows = [
        Notification(
            recipient_id=pk,
            organization=organization,
            event="comments.reply",
            actor_id=actor,
            target_repr=f"Idée {n}",
            url=f"/processes/x/f/1/{n}/",
            email_pending=True,
        )
        for pk in receivers
        for n in range(per_person)
    ]
    for start_at in range(0, len(rows), batch):
        Notification.objects.bulk_create(rows[start_at : start_at + batch])
    frequency = dict(Preference.objects.values_list("user_id", "email_frequency"))
    expected = sum(1 for pk in receivers if frequency.get(pk, "daily") == "daily")
    return len(receivers), expected


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=50000)
    parser.add_argument("--with-news", type=int, default=3000)
    parser.add_argument("--per-person", type=int, default=3)
    options = parser.parse_args()
    database = start("digest")
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.notifications.emails import send_digests

    started = time.perf_counter()
    receivers, expected = build(options.accounts, options.with_news, options.per_person)
    print(
        f"database: {database.split('://')[0]}; {options.accounts} accounts, {receivers} with "
        f"{options.per_person} new notifications, {expected} of them on the daily digest "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    mail.outbox = []
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        sent = send_digests("daily")
        elapsed = time.perf_counter() - started
    print(f"send_digests daily: {elapsed:.2f} s, {sent} e-mails sent, {len(queries)} queries")
    assert sent == expected == len(mail.outbox), (sent, expected, len(mail.outbox))
    assert all("List-Unsubscribe" in m.extra_headers for m in mail.outbox)
    started = time.perf_counter()
    again = send_digests("daily")
    print(f"second run: {time.perf_counter() - started:.2f} s, {again} e-mails sent")


if __name__ == "__main__":
    main()
