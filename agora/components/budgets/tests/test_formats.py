"""Amounts on the budget pages are written by agora.core.formats: "30 000 €" in
French (narrow no-break space between thousands, no-break space before €),
"€30,000" in English; the ballot rules' messages too."""

import re

from django.utils import translation

from agora.components.budgets import ballot_rules
from agora.components.budgets.models import Budget

FR_30K, FR_100K = "30\u202f000\u00a0€", "100\u202f000\u00a0€"


def test_french_pages_write_euros_with_narrow_no_break_spaces(client, budget, projects):
    client.cookies["agora_language"] = "fr"
    html = client.get(budget.get_absolute_url()).content.decode()
    assert f"Enveloppe\u00a0: {FR_100K}" in html  # and a no-break space before the colon
    assert f"Coût\u00a0: {FR_30K}" in html
    assert "30 000 €" not in html and "30\u00a0000" not in html  # neither a breakable nor a wide thousands space
    html = client.get(projects[1].get_absolute_url()).content.decode()
    assert f"<dd>{FR_30K}</dd>" in html


def test_english_pages_put_the_euro_sign_first(client, budget, projects):
    client.cookies["agora_language"] = "en"
    html = client.get(budget.get_absolute_url()).content.decode()
    assert "Envelope: €100,000" in html and "Cost: €30,000" in html
    assert not re.search(r"[0-9][ \u00a0\u202f]*€", html)  # never "100,000 €"


def test_ballot_rule_messages_write_amounts_in_the_language():
    spec = ballot_rules.RuleSpec(rule=Budget.Rule.ENVELOPE, envelope=30_000, min_percent=0)
    projects = {1: ballot_rules.ProjectInfo(id=1, cost=36_000)}
    with translation.override("en"):
        [problem] = ballot_rules.check_ballot(spec, projects, {1: 1})
        assert problem.message == "The chosen projects cost €36,000, more than the €30,000 available."
    with translation.override("fr"):
        [problem] = ballot_rules.check_ballot(spec, projects, {1: 1})
        assert "36\u202f000\u00a0€" in problem.message and FR_30K in problem.message
