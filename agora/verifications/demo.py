"""Demo data: the demo city offers census, letter, SMS and document
verifications, with a small census (hashes only)."""

from datetime import date

from django.utils import timezone

from agora.verifications.identity import person_key, salt_of
from agora.verifications.models import CensusEntry, CensusUpload, EligibilityRule, EnabledMethod

# Who is in the demo census (the README lists them, so a tester can verify):
# three of the demo participants, a resident without an account (for the
# desk) and a 14-year-old (refused by a 16-and-over rule).
DEMO_CENSUS = [
    ("Martin", "Camille", "1994-06-15", "45000"),
    ("Haddad", "Karim", "1982-11-23", "45000"),
    ("Dubois", "Léa", "2009-09-01", "45100"),
    ("Lefèvre", "Odette", "1950-03-12", "45100"),
    ("Bernard", "Lucas", "2012-04-02", "45000"),
]


def seed_demo(organization, uploaded_by=None):
    for method in ("census", "letter", "sms", "document"):
        EnabledMethod.objects.get_or_create(organization=organization, method=method)
    salt = salt_of(organization)
    for last_name, first_name, birth_date, postal_code in DEMO_CENSUS:
        born = date.fromisoformat(birth_date)
        CensusEntry.objects.get_or_create(
            organization=organization,
            key=person_key(organization, last_name=last_name, first_name=first_name, birth_date=born, salt=salt),
            defaults={"birth_date": born, "postal_code": postal_code},
        )
    # The census page and the budget officer's summary say when and by whom it was last replaced.
    if not CensusUpload.objects.filter(organization=organization).exists():
        CensusUpload.objects.create(
            organization=organization,
            uploaded_by=uploaded_by,
            mode=CensusUpload.Mode.REPLACE,
            status=CensusUpload.Status.DONE,
            lines=len(DEMO_CENSUS),
            processed=len(DEMO_CENSUS),
            rows=len(DEMO_CENSUS),
            added=len(DEMO_CENSUS),
            finished_at=timezone.now(),
        )


def seed_vote_rule(component):
    """The demo's 2026 vote: residents found in the census, aged 16 and over
    (the process's rules say so); the budget officer sees it on her screens."""
    EligibilityRule.objects.get_or_create(
        component=component, action="vote", defaults={"methods": ["census"], "min_age": 16}
    )
