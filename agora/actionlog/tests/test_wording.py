"""The action log reads as sentences: every verb logged anywhere has one, in
French and English, and codes (verbs, method names, model names) never show."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from agora.actionlog.models import ActionLog
from agora.actionlog.services import log_action
from agora.actionlog.wording import describe, describe_all, described_verbs, verb_label, wording
from agora.testing import factories

AGORA = Path(__file__).resolve().parents[2]
VERB = re.compile(r"^[a-z_]+\.[a-z_]+$")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Name):
        return function.id
    return function.attr if isinstance(function, ast.Attribute) else ""


def logged_verbs() -> dict[str, set[str]]:
    """Every verb the code can log: string literals given as `verb` to
    log_action or trace (its second argument), or to any function of the same
    module that takes a `verb` parameter (the apps' helpers), or assigned to a
    variable named `verb`."""
    found: dict[str, set[str]] = {}
    for path in sorted(AGORA.rglob("*.py")):
        if {"tests", "migrations", "e2e"} & set(path.relative_to(AGORA).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        takes_verb: dict[str, int | None] = {"log_action": None, "trace": 1}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                positional = [arg.arg for arg in node.args.posonlyargs + node.args.args]
                if "verb" in positional:
                    takes_verb[node.name] = positional.index("verb")
                elif "verb" in [arg.arg for arg in node.args.kwonlyargs]:
                    takes_verb[node.name] = None
        for node in ast.walk(tree):
            expressions = []
            if isinstance(node, ast.Call) and _called_name(node) in takes_verb:
                index = takes_verb[_called_name(node)]
                expressions = [keyword.value for keyword in node.keywords if keyword.arg == "verb"]
                if index is not None and len(node.args) > index:
                    expressions.append(node.args[index])
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "verb" for t in node.targets):
                expressions = [node.value]
            for expression in expressions:
                for constant in ast.walk(expression):
                    if (
                        isinstance(constant, ast.Constant)
                        and isinstance(constant.value, str)
                        and VERB.match(constant.value)
                    ):
                        found.setdefault(constant.value, set()).add(str(path.relative_to(AGORA)))
    return found


def test_the_scan_finds_the_verbs_of_every_kind_of_call():
    verbs = logged_verbs()
    assert "space.publish" in verbs  # log_action(verb=...)
    assert "comments.created" in verbs  # trace(actor, "comments.created", ...)
    assert "proposals.draft_updated" in verbs  # _save_changes(actor, proposal, "proposals.draft_updated", ...)
    assert "budgets.ballot_changed" in verbs  # trace(actor, "a" if changed else "b", ...)
    assert len(verbs) > 150


def test_every_logged_verb_has_a_sentence():
    missing = {verb: sorted(paths) for verb, paths in logged_verbs().items() if wording(verb) is None}
    assert not missing, f"Give these verbs a sentence in their app's log_words.py: {missing}"


def test_every_sentence_has_french_and_only_known_fields():
    for verb in described_verbs():
        english = verb_label(verb)
        assert english != verb and "%(" not in english, verb
        with translation.override("fr"):
            french = verb_label(verb)
        assert french != english, f"{verb} is not translated"


def _entry(organization, verb, **kwargs):
    return ActionLog.objects.create(organization=organization, verb=verb, **kwargs)


def test_sentence_with_actor_target_data_and_labels(organization, participant):
    space = factories.SpaceFactory(organization=organization, title={"fr": "Budget 2026", "en": "Budget 2026"})
    entry = log_action(actor=participant, verb="space.publish", target=space, organization=organization, space=space)
    assert describe(entry) == f"{participant.public_name} published the space “Budget 2026”"
    with translation.override("fr"):
        assert describe(entry) == f"{participant.public_name} a publié l'espace «\u202fBudget 2026\u202f»"

    granted = _entry(
        organization,
        "verification.granted",
        actor=participant,
        target_repr="in_person · Camille",
        data={"method": "in_person", "user": participant.pk},
    )
    assert describe(granted) == f"{participant.public_name}: the account of Camille is verified (In person at a desk)"
    assert "in_person" not in describe(granted)

    role = _entry(organization, "role.grant", actor=participant, target_repr="Nadia", data={"role": "space_admin"})
    assert describe(role) == f"{participant.public_name} gave the role “Space admin” to Nadia"


def test_missing_fields_unknown_verbs_and_the_platform(organization):
    no_count = _entry(organization, "scope.import")
    assert describe(no_count) == "The platform imported scopes (… created, … updated)"
    unknown = _entry(organization, "plugin.did_something", target_repr="Thing")
    assert describe(unknown) == "The platform made a change (plugin.did_something) on “Thing”"
    assert verb_label("plugin.did_something") == "plugin.did_something"


def test_help_at_a_desk_is_said(organization, participant):
    entry = _entry(
        organization,
        "proposals.published",
        actor=participant,
        target_repr="Un banc",
        data={"assisted_by": 1, "assisted_by_name": "Nadia Benali"},
    )
    assert describe(entry).endswith("“Un banc”, helped at a desk by Nadia Benali")


def test_a_page_of_rows_reads_the_idea_states_once(organization, participant, django_assert_max_num_queries):
    component = factories.ComponentFactory(
        space=factories.SpaceFactory(organization=organization), manifest_name="proposals"
    )
    from agora.components.proposals.models import ProposalState

    ProposalState.objects.create(component=component, token="accepted", name={"en": "Accepted", "fr": "Retenue"})
    for number in range(5):
        _entry(
            organization,
            "proposal.answer",
            actor=participant,
            component=component,
            target_repr=f"Idée {number}",
            data={"state": "accepted"},
        )
    entries = list(ActionLog.objects.filter(organization=organization).select_related("actor", "space", "component"))
    with django_assert_max_num_queries(1):
        lines = describe_all(entries)
    assert all("(state: Accepted)" in line for _entry_, line in lines)


def test_the_log_page_shows_sentences_not_codes(client, org_admin, organization, participant):
    space = factories.SpaceFactory(organization=organization)
    _entry(organization, "comments.created", actor=participant, space=space, target_repr="Très bonne idée")
    _entry(
        organization,
        "verification.granted",
        actor=participant,
        target_repr="in_person · Camille",
        data={"method": "in_person"},
    )
    _entry(
        organization,
        "verification.census_imported",
        actor=participant,
        target_repr="CensusUpload object (2)",
        data={"rows": 12},
    )
    client.force_login(org_admin)
    response = client.get(reverse("backoffice:log"))  # in the organization's language, French
    table = response.content.decode().split("<table>", 1)[1]
    for code in ("comments.created", "in_person", "CensusUpload", "census_imported"):
        assert code not in table
    assert "a remplacé le recensement (12 personnes)" in table
