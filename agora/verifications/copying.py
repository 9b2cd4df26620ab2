"""Copying a space for its next edition (agora.spaces.copying): who may take
part in each action of a component (its eligibility rules) goes with it."""

from agora.verifications.models import EligibilityRule

COPIED = ("action", "methods", "require_all", "min_age", "max_age", "postal_codes", "match_scope")


def copy_rules(source, copy) -> None:
    EligibilityRule.objects.bulk_create(
        [
            EligibilityRule(component=copy, **{name: getattr(rule, name) for name in COPIED})
            for rule in EligibilityRule.objects.filter(component=source)
        ]
    )
