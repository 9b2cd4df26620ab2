"""The eligibility rules an initiative type carries (who may file, who may
sign), applied by agora.verifications as any component's rule is."""

from datetime import date

from agora.components.initiatives.models import RULE_FIELDS, Initiative, InitiativeType
from agora.permissions import Decision
from agora.verifications.eligibility import check_rule
from agora.verifications.models import EligibilityRule


def rule_of(stored: dict | None) -> EligibilityRule:
    """An unsaved EligibilityRule from a type's stored rule (unknown keys ignored)."""
    stored = stored or {}
    return EligibilityRule(
        methods=list(stored.get("methods") or []),
        require_all=bool(stored.get("require_all")),
        min_age=stored.get("min_age"),
        max_age=stored.get("max_age"),
        postal_codes=list(stored.get("postal_codes") or []),
        match_scope=bool(stored.get("match_scope")),
    )


def clean_rule(values: dict) -> dict:
    """What a type stores: the rule's fields, empty ones left out."""
    return {name: values[name] for name in RULE_FIELDS if values.get(name) not in (None, "", [], False)}


def may_file(user, initiative_type: InitiativeType, scope=None) -> Decision:
    class _Target:
        scope_id = scope.pk if scope is not None else None

    return check_rule(user, initiative_type.component, rule_of(initiative_type.file_rule), "file", _Target())


def may_sign(user, initiative: Initiative, when: date | None = None) -> Decision:
    """Age on the day of signing, residence through verification (postal codes, the district)."""
    return check_rule(user, initiative.component, rule_of(initiative.type.sign_rule), "sign", initiative, when)
