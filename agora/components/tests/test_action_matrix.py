"""The role × phase × action matrix, generated from the component manifests.

Every `ActionRule` a manifest declares (agora.components.registry) is asked
through `permissions.can` for every person of PEOPLE, in a published, an
unpublished and a private space, with the phase setting that opens it on and
off (and, for participant actions, with an eligibility rule nobody meets). The
answer expected comes from WHO_MEANS below, the rule in words ("participants
while the phase opens it; managers always; never another organization"),
never from the code under test. Where a declared rule names the page that does
it, the page's answer is checked too. A new component that declares its rules
is tested without touching this file; a rule a component registers without
declaring it fails `test_every_rule_a_component_registers_is_declared`.

The world (an organization that requires two-factor authentication of its
staff, a process with an active phase, one component of each type with its
demo seed, one person per role) is built once for the module, in a transaction
rolled back at the end; each arrangement of the space and the phase is made once
for the thirteen people (`arranged`), in a savepoint, and each case runs in its
own savepoint inside it (`db`).
"""

import sys
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agora import permissions
from agora.accounts.models import User
from agora.components.models import Component
from agora.components.registry import (
    ASSIGNED,
    AUTHOR,
    EVALUATORS,
    MANAGERS,
    MODERATORS,
    PARTICIPANTS,
    READERS,
    VIEWERS,
    WHO,
    ComponentManifest,
    registry,
)
from agora.spaces.models import Role, Space, SpaceMember
from agora.testing import factories
from agora.verifications.models import EligibilityRule

# --- who is who ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    participant: bool = False  # may take part in the organization: e-mail confirmed, terms accepted
    staff: bool = False  # holds a role of the space that works now: sees it unpublished or private
    manager: bool = False  # administers the space (space admin, organization admin)
    evaluator: bool = False
    moderator: bool = False
    member: bool = False  # admitted to the private space
    # Logged in without having accepted this organization's terms: every page
    # (GET) sends them to the terms first (agora.accounts.middleware).
    terms_first: bool = False


PEOPLE = (
    Person("anonymous"),
    Person("e-mail not confirmed"),
    Person("terms not accepted", terms_first=True),
    Person("participant", participant=True),
    Person("blocked by the moderators"),
    Person("space member", participant=True, member=True),
    Person("participant of another organization", terms_first=True),
    Person("collaborator", participant=True, staff=True),
    Person("moderator", participant=True, staff=True, moderator=True),
    Person("evaluator", participant=True, staff=True, evaluator=True),
    Person("space admin", participant=True, staff=True, manager=True),
    Person("organization admin", participant=True, staff=True, manager=True),
    # An organization admin without the second factor the organization requires:
    # no staff power at all until they set it up, a participant meanwhile.
    Person("staff without two-factor", participant=True),
)
PERSON = {person.name: person for person in PEOPLE}

# --- the rules in words ---------------------------------------------------------------------

# The space published, unpublished, published but private (members only), private
# and transparent (everyone reads, members take part); or published with the
# component not published yet.
SPACES = ("published", "unpublished", "private", "transparent", "component unpublished")
PRIVATE = ("private", "transparent")
OPEN, CLOSED, ALWAYS, INELIGIBLE = "phase opens it", "phase closes it", "no phase setting", "ineligible"


@dataclass(frozen=True)
class Situation:
    space: str  # one of SPACES
    phase: str  # OPEN, CLOSED, ALWAYS (the rule has no phase setting) or INELIGIBLE (open, but an
    #             eligibility rule nobody in the matrix meets: an age only a verification gives)


def sees(person: Person, situation: Situation) -> bool:
    """May see the component."""
    if situation.space in ("published", "transparent"):
        return True
    return person.staff or (situation.space == "private" and person.member)


def takes_part(person: Person, situation: Situation) -> bool:
    """May take part in the space (whatever the phase)."""
    if not (sees(person, situation) and person.participant):
        return False
    return situation.space not in PRIVATE or person.member or person.staff


WHO_MEANS = {
    PARTICIPANTS: lambda person, situation: takes_part(person, situation) and situation.phase in (OPEN, ALWAYS),
    VIEWERS: sees,
    READERS: lambda person, situation: sees(person, situation) and person.participant,
    MANAGERS: lambda person, situation: person.manager,
    EVALUATORS: lambda person, situation: person.manager or person.evaluator,
    MODERATORS: lambda person, situation: person.manager or person.moderator,
    AUTHOR: lambda person, situation: False,  # nobody of PEOPLE wrote the resource
    ASSIGNED: lambda person, situation: False,  # nor is assigned to it
}


def expected(declared, person: Person, situation: Situation) -> bool:
    if not declared.opened_by:
        situation = Situation(situation.space, INELIGIBLE if situation.phase == INELIGIBLE else ALWAYS)
    return any(WHO_MEANS[word](person, situation) for word in declared.who)


# --- the cases, from the manifests -----------------------------------------------------------


def declared_rules():
    return [(manifest, declared) for manifest in registry.all() for declared in manifest.rules]


def situations(declared):
    phases = (OPEN, CLOSED) if declared.opened_by else (ALWAYS,)
    found = [Situation(space, phase) for space in SPACES for phase in phases]
    if declared.action:
        found.append(Situation("published", INELIGIBLE))
    return found


@dataclass(frozen=True)
class Case:
    """One arrangement of the world: a component, the rules asked (one for `can`;
    those declared with one page for the pages), the situation."""

    manifest: str
    rules: tuple[str, ...]
    situation: Situation
    view: str = ""

    def __str__(self):
        return ":".join((self.manifest, self.view or self.rules[0], self.situation.space, self.situation.phase))


def matrix_cases():
    return [
        Case(manifest.name, (declared.rule,), situation)
        for manifest, declared in declared_rules()
        for situation in situations(declared)
    ]


def view_groups():
    """(manifest, view, target label) -> the rules declared with that page: the
    page lets in whoever one of them lets in."""
    groups = {}
    for manifest, declared in declared_rules():
        if declared.view:
            groups.setdefault((manifest.name, declared.view, declared.on), []).append(declared)
    return groups


# What the pages are asked in: fewer situations than `can` (each page costs a request);
# a staff screen, whose rules do not read the space's state, in two.
PAGE_SITUATIONS = (("published", OPEN), ("published", CLOSED), ("unpublished", OPEN), ("private", OPEN))
STAFF_WORDS = {MANAGERS, EVALUATORS, MODERATORS, AUTHOR, ASSIGNED}


def page_cases():
    cases = []
    for (manifest_name, view, on), rules in view_groups().items():
        phased = any(declared.opened_by for declared in rules)
        staff_only = all(set(declared.who) <= STAFF_WORDS for declared in rules)
        for space, phase in PAGE_SITUATIONS:
            if (phased or phase == OPEN) and not (staff_only and space == "private"):
                situation = Situation(space, phase if phased else ALWAYS)
                cases.append(Case(manifest_name, tuple(declared.rule for declared in rules), situation, view))
    return cases


# --- the world, built once ------------------------------------------------------------------


@dataclass
class World:
    organization: int
    space: int
    phase: int
    components: dict  # manifest name -> component id
    targets: dict  # (manifest name, rule) -> (model label, id) or None when the seed made none
    people: dict  # person name -> user id (None: anonymous)
    clients: dict  # person name -> a test client logged in as them (once: logging in costs)


def _person(name, organization, other, space):
    if name == "anonymous":
        return None
    user = factories.UserFactory(verified=name != "e-mail not confirmed")
    if name == "participant of another organization":
        factories.member_of(user, other)
        return user.pk
    membership = factories.member_of(user, organization, accepted=name != "terms not accepted")
    if name == "blocked by the moderators":
        membership.blocked_at = timezone.now()
        membership.save(update_fields=["blocked_at"])
    roles = {
        "collaborator": Role.Name.COLLABORATOR,
        "moderator": Role.Name.MODERATOR,
        "evaluator": Role.Name.EVALUATOR,
        "space admin": Role.Name.SPACE_ADMIN,
    }
    if name in roles:
        Role.objects.create(user=user, organization=organization, space=space, name=roles[name])
    if name in ("organization admin", "staff without two-factor"):
        Role.objects.create(user=user, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)
    if name in roles or name == "organization admin":
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    if name == "space member":
        SpaceMember.objects.create(space=space, user=user)
    return user.pk


def _target(manifest, declared, component):
    if declared.on == "component":
        return ("component", component.pk)
    model = apps.get_model(declared.on)
    found = model.objects.filter(component=component, **declared.where).order_by("pk").first()
    return (declared.on, found.pk) if found else None


def _build() -> World:
    organization: Any = factories.OrganizationFactory(host="testserver", name="Ville de Test", staff_mfa_required=True)
    factories.TermsVersionFactory(organization=organization, version=1)
    other = factories.OrganizationFactory(host="other.example.org", name="Autre Ville")
    factories.TermsVersionFactory(organization=other, version=1)
    space: Any = factories.SpaceFactory(organization=organization)
    phase: Any = factories.PhaseFactory(space=space, is_active=True)
    # A resident who wrote what the seeds make (seeds credit participants without a role):
    # nobody of PEOPLE is the author of a resource.
    factories.member_of(factories.UserFactory(), organization)
    components, targets = {}, {}
    for manifest in registry.all():
        component: Any = factories.ComponentFactory(space=space, manifest_name=manifest.name)
        if manifest.seed:
            seed: Any = manifest.hook(manifest.seed)
            seed(component)
        component.refresh_from_db()
        component.settings = {
            **(component.settings or {}),
            **{name: value for declared in manifest.rules for name, value in declared.needs.items()},
        }
        component.save(update_fields=["settings"])
        components[manifest.name] = component.pk
        for declared in manifest.rules:
            targets[(manifest.name, declared.rule)] = _target(manifest, declared, component)
    people = {person.name: _person(person.name, organization, other, space) for person in PEOPLE}
    clients = {}
    for name, pk in people.items():
        clients[name] = Client()
        if pk is not None:
            clients[name].force_login(User.objects.get(pk=pk))
    return World(organization.pk, space.pk, phase.pk, components, targets, people, clients)


@pytest.fixture(autouse=True)
def _fast_and_isolated():
    """The conftest's fixture of that name, overridden: `world` applies the same
    settings once for the module (a temporary directory and five settings per
    case would cost the matrix more than its cases)."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    files = tmp_path_factory.mktemp("matrix")
    quick = override_settings(
        ALLOWED_HOSTS=["*"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=files / "media",
        AGORA_PRIVATE_MEDIA_ROOT=files / "private",
        ACCOUNT_RATE_LIMITS=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with django_db_blocker.unblock(), quick:
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or name.startswith("test_"), f"not a test database: {name}"
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def db(world):
    """pytest-django's `db`, overridden for this module: what a test changes is
    undone after it by a savepoint in the world's transaction (lighter than
    pytest-django's per-test transaction, which the matrix's thousand cases
    would each pay). Named `db` so that pytest-django creates the test database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _declared(manifest_name, rule):
    return next(declared for declared in registry[manifest_name].rules if declared.rule == rule)


def _arrange(world, manifest_name, rules, situation):
    """The space and the component as the situation says, every part of it set
    (what the previous arrangement changed is rolled back, but say it all)."""
    Space.objects.filter(pk=world.space).update(
        published_at=None if situation.space == "unpublished" else timezone.now(),
        private=situation.space in PRIVATE,
        transparent=situation.space == "transparent",
    )
    component_id = world.components[manifest_name]
    values = {
        declared.opened_by: declared.closed_value if situation.phase == CLOSED else declared.open_value
        for declared in rules
        if declared.opened_by
    }
    Component.objects.filter(pk=component_id).update(
        phase_settings={str(world.phase): values},
        published_at=None if situation.space == "component unpublished" else timezone.now(),
    )
    EligibilityRule.objects.filter(component_id=component_id).delete()
    if situation.phase == INELIGIBLE:
        for declared in rules:
            EligibilityRule.objects.create(component_id=component_id, action=declared.action, min_age=18)


@pytest.fixture(scope="module")
def arranged(request, world):
    """The world arranged for one case, shared by the cases of its thirteen people
    (pytest runs them one after the other), undone after them; each person's
    case runs in its own savepoint inside (`db`)."""
    case = request.param
    rules = [_declared(case.manifest, rule) for rule in case.rules]
    with transaction.atomic():
        _arrange(world, case.manifest, rules, case.situation)
        yield case, rules, _load_target(world, case.manifest, case.rules[0])
        transaction.set_rollback(True)


def _load_target(world, manifest_name, rule):
    found = world.targets[(manifest_name, rule)]
    assert found is not None, (
        f"{manifest_name}'s demo seed makes no {_declared(manifest_name, rule).on} matching "
        f"{_declared(manifest_name, rule).where} for {rule}: the matrix needs one"
    )
    label, pk = found
    model = Component if label == "component" else apps.get_model(label)
    return model.objects.get(pk=pk)


def _user(world, name):
    pk = world.people[name]
    return AnonymousUser() if pk is None else User.objects.get(pk=pk)


# --- the matrix -----------------------------------------------------------------------------


PEOPLE_NAMES = [person.name for person in PEOPLE]


@pytest.mark.parametrize("arranged", matrix_cases(), indirect=True, scope="module", ids=str)
@pytest.mark.parametrize("person_name", PEOPLE_NAMES)
def test_can(world, arranged, db, person_name):
    case, (declared,), target = arranged
    decision = permissions.can(_user(world, person_name), declared.rule, target)
    wanted = expected(declared, PERSON[person_name], case.situation)
    assert bool(decision) == wanted, (
        f"{declared.rule} for {person_name} ({case.situation}): expected {'allowed' if wanted else 'refused'}, "
        f"got {'allowed' if decision else 'refused: ' + decision.reason}"
    )


def _url(view, target):
    if isinstance(target, Component):
        component = target
    else:
        component = target.component
    own = {f"{target._meta.model_name}_id": target.pk}
    staff_screen = {"space_id": component.space_id, "component_id": component.pk}
    attempts = [
        component.url_kwargs(),
        {**component.url_kwargs(), **own},
        staff_screen,
        {**staff_screen, **own},
        {"model_label": target._meta.label_lower, "object_id": target.pk},
        {"content_type_id": ContentType.objects.get_for_model(target).pk, "object_id": target.pk},
    ]
    for kwargs in attempts:
        try:
            return reverse(view, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"The matrix does not know how to fill the URL {view} for {target!r}")


def refused(response) -> bool:
    """A refusal page, a page that does not exist, or the way to lift the refusal
    (log in, accept the terms, confirm one's e-mail)."""
    if response.status_code in (403, 404):
        return True
    fixes = (reverse("account_login"), reverse("accounts:terms"), reverse("account_email"))
    return response.status_code == 302 and response["Location"].startswith(fixes)


@pytest.mark.parametrize("arranged", page_cases(), indirect=True, scope="module", ids=str)
@pytest.mark.parametrize("person_name", PEOPLE_NAMES)
def test_page(world, arranged, db, person_name):
    case, rules, target = arranged
    situation = case.situation
    client = world.clients[person_name]
    first = rules[0]
    url = _url(case.view, target)
    response = client.get(url) if first.method == "GET" else client.post(url, first.data)
    assert response.status_code < 500
    person = PERSON[person_name]
    if person.terms_first and first.method == "GET":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:terms")), (
            f"GET {url} for {person_name}: expected the terms page first, got {response.status_code}"
        )
        return
    wanted = any(expected(declared, person, situation) for declared in rules)
    assert refused(response) != wanted, (
        f"{first.method} {url} ({', '.join(d.rule for d in rules)}) for {person_name} ({situation}): expected "
        f"{'an answer' if wanted else 'a refusal'}, got {response.status_code} {response.get('Location', '')}"
    )
    if not wanted:
        assert refusal_form(response, person, situation), (
            f"{first.method} {url} for {person_name} ({situation}): refused the wrong way, "
            f"{response.status_code} {response.get('Location', '')}"
        )


def refusal_form(response, person, situation) -> bool:
    """Every page refuses the same way (agora.web.access): an anonymous visitor
    whom logging in may let in (a published space, the phase open) goes to log
    in and comes back (?next=); what is closed to everyone, private or not
    published is the refusal page (403) or not found (404), as for logged-in
    people, who are never sent to log in."""
    to_login = response.status_code == 302 and response["Location"].startswith(reverse("account_login") + "?next=/")
    if person.name == "anonymous" and situation.space == "published" and situation.phase != CLOSED:
        return to_login
    return response.status_code in (403, 404) or (person.name == "anonymous" and to_login)


# --- the declarations -----------------------------------------------------------------------


def component_packages() -> dict:
    """{manifest name: package of the app whose component.py registers it}."""
    found = {}
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.component")
        for value in vars(module).values() if module else ():
            if isinstance(value, ComponentManifest) and registry.get(value.name) is value:
                found[value.name] = config.name
    return found


def undeclared_rules() -> list[str]:
    """Rules registered by a component's code and missing from its manifest."""
    packages = component_packages()
    missing = []
    for action in sorted(permissions._rules):
        module = permissions._rules[action].__module__
        for name, package in packages.items():
            if (module == package or module.startswith(package + ".")) and action not in {
                declared.rule for declared in registry[name].rules
            }:
                missing.append(f"{action} (registered in {module}, not declared in {name}'s manifest)")
    return missing


def test_every_component_is_found_with_its_package():
    assert set(component_packages()) == {manifest.name for manifest in registry.all()}


def test_every_rule_a_component_registers_is_declared():
    assert undeclared_rules() == []


def test_an_undeclared_rule_is_reported(monkeypatch):
    def planted(user, component):
        return True

    planted.__module__ = "agora.components.news.rules"
    monkeypatch.setitem(permissions._rules, "news.planted", planted)
    assert undeclared_rules() == [
        "news.planted (registered in agora.components.news.rules, not declared in news's manifest)"
    ]


def test_the_declarations_hold_together():
    registered = set(sorted(permissions._rules))
    for manifest in registry.all():
        names = [declared.rule for declared in manifest.rules]
        assert len(names) == len(set(names)), f"{manifest.name} declares a rule twice"
        participant_actions = {declared.action for declared in manifest.rules if declared.action}
        assert set(manifest.actions) == participant_actions, (
            f"{manifest.name}: its actions {manifest.actions} and its participant rules' {participant_actions}"
        )
        phase_settings = {setting.name: setting for setting in manifest.phase_settings}
        settings = {setting.name for setting in manifest.settings}
        for declared in manifest.rules:
            where = f"{manifest.name}: {declared.rule}"
            assert declared.rule in registered, f"{where} is not a registered rule"
            assert set(declared.who) <= set(WHO) == set(WHO_MEANS), where
            if declared.opened_by:
                setting = phase_settings.get(declared.opened_by)
                assert setting is not None, f"{where}: {declared.opened_by} is not a phase setting"
                for value in (declared.open_value, declared.closed_value):
                    assert setting.clean(value) == value, f"{where}: {value!r} is no value of {setting.name}"
                assert declared.open_value != declared.closed_value, where
            assert set(declared.needs) <= settings, f"{where} needs settings the manifest does not have"
            if declared.on != "component":
                model = apps.get_model(declared.on)
                assert "component" in {field.name for field in model._meta.get_fields()}, where
            if declared.view:
                assert declared.method in ("GET", "POST"), where


def test_participant_rules_ask_the_eligibility_of_their_action(world, db):
    """Each participant rule goes through permissions.component_action with the
    action its manifest names (the one officers set eligibility rules for); one
    declared without an action asks none."""
    asked = []

    def spy(user, component, action, resource=None, when=None):
        asked.append(action)
        return permissions.ALLOWED

    permissions.register_eligibility_check(spy)
    try:
        for manifest, declared in declared_rules():
            if PARTICIPANTS not in declared.who:
                continue
            _arrange(world, manifest.name, [declared], Situation("published", OPEN))
            asked.clear()
            decision = permissions.can(
                _user(world, "participant"), declared.rule, _load_target(world, manifest.name, declared.rule)
            )
            assert decision, f"{declared.rule}: {decision.reason}"
            assert set(asked) == ({declared.action} if declared.action else set()), (
                f"{manifest.name}: {declared.rule} is declared with action={declared.action!r} and asks {asked}"
            )
    finally:
        permissions._eligibility_checks.remove(spy)
