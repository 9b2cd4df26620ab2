"""The registry of component types (plug-ins).

A component app declares a `ComponentManifest` in its `component.py`:

    registry.register(ComponentManifest(name="news", label=_("News"), ...))

Hooks are dotted paths, loaded lazily, so registering costs nothing at start-up.
The manifest is the whole contract of a component (docs/architecture.md, "The
component contract"): settings read typed (`Settings`), resources the
cross-cutting layers accept (`Resource`), notification events
(`NotificationEvent`), open-data tables (`OpenDataTable`), stats, exports,
search, seeds, copy; the layers read it (`registry.resources()`,
`registry.events()`, through `once_ready`) and never import a component.

A manifest also declares every permission rule its pages and services ask
(`rules`: `ActionRule`s), who each lets in and which phase setting opens it;
the role × phase × action matrix (agora/components/tests/test_action_matrix.py)
tests every declared rule for every role, phase and space state, and fails on
a rule a component registers without declaring it.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from agora.core.home import BlockKind


@dataclass(frozen=True)
class Setting:
    """One setting of a component, for the whole component or per phase."""

    name: str
    type: str  # "bool", "int", "str", "text", "choice"
    default: Any
    label: Any
    help_text: Any = ""
    choices: tuple = ()
    min_value: int | None = None
    max_value: int | None = None

    def clean(self, raw):
        if self.type == "bool":
            if isinstance(raw, str):
                return raw.lower() in {"1", "true", "on", "yes"}
            return bool(raw)
        if self.type == "int":
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValidationError(_("%(label)s: enter a whole number."), params={"label": self.label})
            if self.min_value is not None and value < self.min_value:
                raise ValidationError(
                    _("%(label)s: enter at least %(min)s."), params={"label": self.label, "min": self.min_value}
                )
            if self.max_value is not None and value > self.max_value:
                raise ValidationError(
                    _("%(label)s: enter at most %(max)s."), params={"label": self.label, "max": self.max_value}
                )
            return value
        if self.type == "choice":
            allowed = [value for value, _label in self.choices]
            if raw not in allowed:
                raise ValidationError(_("%(label)s: choose one of the options."), params={"label": self.label})
            return raw
        return "" if raw is None else str(raw)


class Settings(Mapping):
    """A component's settings, or one phase's: typed and read-only. Each value
    is cleaned by its definition; a missing or invalid stored value (a setting
    added since, a value edited by hand) is the definition's default, so a bad
    stored value never breaks a page:

        settings = component.settings_of()
        Paginator(posts, settings.posts_per_page)
        if component.phase_settings_of().votes_enabled: ...

    An undeclared name is an AttributeError (a typo fails loudly); as a mapping,
    `settings.get(name, default)` reads a setting a manifest may not declare."""

    __slots__ = ("_values",)

    def __init__(self, definitions: tuple[Setting, ...], stored: dict | None):
        values = {}
        stored = stored or {}
        for definition in definitions:
            try:
                values[definition.name] = definition.clean(stored.get(definition.name, definition.default))
            except (ValidationError, TypeError, ValueError):
                values[definition.name] = definition.default
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no setting {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("settings are read-only: change them through the back-office service")

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"


# Who an action lets in: the words of `ActionRule.who`. What each means, role by
# role, is the table of the action matrix (agora/components/tests/test_action_matrix.py).
PARTICIPANTS = "participants"  # may take part in the space (account confirmed, terms accepted, member
#                                of a private space, eligible), while `opened_by` opens the action
VIEWERS = "viewers"  # whoever may see the component (published space, members of a private one, its staff)
# Take part in the organization (account confirmed, terms accepted, not blocked) and may see the
# component, member of its space or not (a reader of a private but transparent space reports an idea).
READERS = "readers"
MANAGERS = "managers"  # the space's administrators and the organization's (component.manage)
EVALUATORS = "evaluators"  # the managers and the space's evaluators (evaluation.access)
MODERATORS = "moderators"  # the managers and the space's moderators (moderation.manage)
# Relations to the resource acted on, which none of the matrix's roles has: the
# matrix checks everyone else is refused; the component's own tests check the relation.
AUTHOR = "author"  # the author of the resource
ASSIGNED = "assigned"  # the people assigned to the resource (an evaluator assigned to an idea)
WHO = (PARTICIPANTS, VIEWERS, READERS, MANAGERS, EVALUATORS, MODERATORS, AUTHOR, ASSIGNED)


@dataclass(frozen=True)
class ActionRule:
    """A permission rule (agora.permissions) that a component's pages and
    services ask, as its manifest declares it:

        ActionRule("proposals.support", PARTICIPANTS, action="support", on="proposals.Proposal",
                   where={"status": "published"}, opened_by="supports", open_value="enabled",
                   closed_value="blocked", view="proposals:support")
    """

    rule: str  # the name given to @rule: "proposals.support"
    who: str | tuple[str, ...]  # one of WHO, or several (the union): (AUTHOR, EVALUATORS)
    # Participant actions: the name given to permissions.component_action, which
    # the eligibility rules (agora.verifications) are set for; the manifest's
    # `actions` are these names. None for a participant action no eligibility
    # rule gates (reporting an idea).
    action: str = ""
    # What the rule is asked about: "component", or the label of a model of the
    # component's resources ("proposals.Proposal"), picked among those its demo
    # seed makes with the `where` lookups (a published idea ...).
    on: str = "component"
    where: dict = field(default_factory=dict)
    # The phase setting that opens the action, with a value that opens it and one that closes it.
    opened_by: str = ""
    open_value: Any = True
    closed_value: Any = False
    # Settings of the component the action needs (comments turned on ...).
    needs: dict = field(default_factory=dict)
    # The page that does it (URL name), asked with `method` and `data`: its answer is
    # a refusal exactly when no rule declared with the same view lets the person in.
    view: str = ""
    method: str = "POST"
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        if isinstance(self.who, str):
            object.__setattr__(self, "who", (self.who,))
        unknown = [word for word in self.who if word not in WHO]
        if unknown:
            raise ValueError(f"{self.rule}: unknown who {unknown!r} (one of {WHO})")
        if self.action and PARTICIPANTS not in self.who:
            raise ValueError(f"{self.rule}: only a participant action names an `action`")


@dataclass(frozen=True)
class Resource:
    """A model of the component and what the cross-cutting layers accept of it.
    The layers read these declarations (they never import a component):

        Resource("proposals.Proposal", commentable="agora.components.proposals.integrations.ProposalComments",
                 reportable="agora.components.proposals.integrations.ProposalReports")

    `commentable`: True (agora.comments.registry.Commentable as it is) or the dotted
    path of a Commentable subclass; commentable resources are followable too.
    `followable`: people may follow it without comments (agora.follows).
    `reportable`: the dotted path of an agora.moderation.registry.ReportableAdapter
    subclass (moderation must be told the organization, space and author)."""

    model: str  # "app_label.ModelName"
    commentable: bool | str = False
    followable: bool = False
    reportable: str = ""

    def adapter(self, kind: str, default: Callable | None = None):
        """An instance of the adapter class named by `kind` ("commentable" or
        "reportable"), `default()` when the declaration is just True."""
        value = getattr(self, kind)
        if isinstance(value, str) and value:
            return import_string(value)()
        return default() if default is not None else None


@dataclass(frozen=True)
class NotificationEvent:
    """A notification event a component emits (agora.notifications.events reads
    them from the manifests; the preferences page lists them by `label`).
    `message` is the one-line text, formatted with `actor`, `target` and the
    notification's data; `mutable` False for events people may not mute;
    `personal` for events about the recipient themself (e-mailed at once)."""

    name: str  # "proposals.new_idea": the component's name, a dot, the event
    label: Any
    message: Any = ""
    description: Any = ""
    mutable: bool = True
    personal: bool = False


@dataclass(frozen=True)
class OpenDataTable:
    """A table of public data a component publishes (the open-data files, one
    CSV per table across the organization's components):

        OpenDataTable("ideas", _("Ideas"), rows="agora.components.proposals.hooks.open_data_ideas",
                      columns=(("id", _("Number of the idea")), ("title", _("Title")), ...))

    `rows`: the dotted path of callable(component) -> iterable of dicts, one per
    public resource (nothing when the component is not public: unpublished,
    private space; nothing hidden by moderation, no draft, no personal data),
    whose keys are exactly the names of `columns`. A value is a str, a number, a
    bool, None, a list of ids, or a {language: text} dict for translated content
    (the writer makes one column per language of the organization). The writer
    adds the space and the component of each row. `columns` is the dictionary
    of the file: each column's name and what it holds."""

    name: str  # the file's name: "ideas" -> ideas.csv
    label: Any
    rows: str
    columns: tuple[tuple[str, Any], ...]
    # The columns whose values are {language: text} dicts: the writer makes one column per
    # language of the organization ("title" -> "title_fr", "title_en").
    translated: tuple[str, ...] = ()
    # The model ("proposals.Proposal") whose public resources the rows are, their `id` column
    # its primary key: the open data's comments are those of these resources (agora.opendata).
    model: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _meaning in self.columns)


@dataclass(frozen=True)
class TranslatableFields:
    """Fields of a model the worker machine-translates when the organization
    turns it on (agora.core.machine_translation): `rows` the dotted path of
    callable(component) -> its public instances (nothing when the component is
    not public, no draft, nothing hidden); `html` the fields holding HTML."""

    model: str
    fields: tuple[str, ...]
    rows: str
    html: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmbedCard:
    """The card of a public resource that other sites show in an iframe
    (/<space>/f/<component id>/<resource id>/embed/, or /embed/ for a
    component that is itself the resource: a survey, an opinion map).

    `url` the resource's page (a path of the site), `meta` one line under the
    title (author or organization, date), `summary` plain text (truncated by the
    page), `picture` an agora.core.images.Picture or None, `facts` (label, value)
    pairs (a state, a count), `more` the link's words ("See this idea on …")."""

    title: str
    url: str
    meta: str = ""
    summary: str = ""
    picture: Any = None
    facts: tuple[tuple[Any, Any], ...] = ()
    more: Any = ""


@dataclass(frozen=True)
class UpcomingItem:
    """Something of a component that is about to happen, which a newsletter
    may announce (a debate that opens on a date; later a meeting):
    `key` names it across components ("debates.Debate:12"), `title` is a
    {language: text} dict, `url` a path of the site."""

    key: str
    title: dict
    starts_at: Any  # an aware datetime
    url: str


@dataclass(frozen=True)
class ComponentManifest:
    name: str
    label: Any
    description: Any = ""
    settings: tuple[Setting, ...] = ()
    phase_settings: tuple[Setting, ...] = ()
    # Participant actions that can be gated (permissions, eligibility): by
    # default the `action` names of the participant rules below.
    actions: tuple[str, ...] = ()
    # Every permission rule the component's pages and services ask, with who it
    # lets in (the action matrix tests each one).
    rules: tuple[ActionRule, ...] = ()
    public_urls: str | None = None  # dotted module of urlpatterns
    admin_urls: str | None = None
    # Pages of the organization outside any space (the meetings' global agenda):
    # a dotted module of urlpatterns mounted at the site's root, namespace "<name>_site".
    site_urls: str | None = None
    # Dotted paths to callables taking a Component:
    stats: str | None = None  # -> list of (label, number)
    # The same for many components of this type at once, in a few queries whatever their number:
    # callable(components) -> {component id: list of (label, number)} (components.selectors.stats_of).
    stats_many: str | None = None
    # -> iterable of agora.statistics.api.Event: every act of participation the component
    # stored (ideas, supports, ballots ...), read again by `manage.py rebuild_statistics`.
    participation: str | None = None
    exports: dict[str, str] = field(default_factory=dict)  # format name -> callable(component) -> HttpResponse
    search: str | None = None  # -> iterable of (title, text, url) for the search index
    seed: str | None = None  # demo data: callable(component)
    # Copying a space for its next edition: callable(source, copy) copies the
    # component's configuration (pages, budgets, states ...), never what
    # participants wrote (agora.spaces.copying).
    copy: str | None = None
    # The kinds of home-page blocks it brings (agora.core.home.BlockKind, whose
    # `render` is a dotted path): latest news, "the vote is open" ...
    home_blocks: tuple[BlockKind, ...] = ()
    # What needs the staff's attention (the back-office dashboard's cards, agora.core.attention):
    # callable(components, user) -> list of attention.Item, given at once every component of this
    # type in the spaces where the person holds a role (all of them for the organization's admins),
    # so that it counts in a query or two; it keeps what the person may manage.
    attention: str | None = None
    # The people who took part in these components (filed or supported an idea, voted, answered,
    # opened a debate): callable(components) -> queryset of user ids (`values("pk")` or a flat
    # `values_list`), for the newsletters' audience "participants of chosen spaces"
    # (agora.newsletters.audiences adds the comments, which are not a component's). Only ids: the
    # audience keeps, among them, the people who accepted the newsletter.
    participant_ids: str | None = None
    # What is about to happen in these components, public only (nothing of an unpublished or
    # private component, nothing hidden): callable(components) -> list of `UpcomingItem`, for the
    # newsletters' block "upcoming" (the officer picks among them).
    upcoming: str | None = None
    # The models the cross-cutting layers accept (comments, follows, moderation).
    resources: tuple[Resource, ...] = ()
    # The notification events the component emits.
    events: tuple[NotificationEvent, ...] = ()
    # The tables of public data it publishes (open data).
    open_data: tuple[OpenDataTable, ...] = ()
    # The card other sites may embed: callable(request, resource_id) -> EmbedCard, or None when
    # that resource is not public (a draft, hidden by moderation, another component's, missing);
    # resource_id is None for /embed/ at the component's root. Mounted by agora.components.urls
    # (names "<name>:embed" and "<name>:embed_component"), framed by any site (AGORA_EMBED_FRAME_ANCESTORS).
    embed: str | None = None
    # Its resources in the public API (agora.api, docs/api.md): the dotted path of a callable
    # returning a new `ninja.Router` built with `agora.api.kit`, mounted at /api/v1/<name>/; it
    # reads through the component's selectors, as an anonymous visitor would.
    api: str | None = None
    # The scopes staff tokens may be given for the component's write endpoints:
    # (("accountability.write", _("Update follow-up results and milestones")),).
    api_scopes: tuple[tuple[str, Any], ...] = ()
    # What the worker machine-translates (TranslatableFields), pages show with "show original".
    translatable: tuple[TranslatableFields, ...] = ()
    # Files it publishes as they are beside its tables (the pabulib files of published budgets):
    # callable(component) -> iterable of (file name, bytes or str), nothing when the component
    # is not public (agora.opendata puts them in the zip under the component's folder).
    open_data_files: str | None = None
    # What it stores about a person, for "download my data" (agora.privacy.personal_data):
    # callable(person) -> iterable of (file name, rows), rows being dicts of plain values
    # (one CSV per file, the first row's keys as header). Never another person's data.
    personal_data: str | None = None

    def __post_init__(self):
        if not self.actions:
            names = [rule.action for rule in self.rules if rule.action]
            object.__setattr__(self, "actions", tuple(dict.fromkeys(names)))

    def hook(self, dotted: str | None) -> Callable | None:
        return import_string(dotted) if dotted else None

    def settings_for(self, component) -> Settings:
        """The component's settings, typed (`Component.settings_of()`)."""
        return Settings(self.settings, component.settings)

    def phase_settings_for(self, component, phase) -> Settings:
        """The settings of one phase of the component, typed; their defaults
        when `phase` is None (a space without phases, or none active)."""
        stored = (component.phase_settings or {}).get(str(phase.pk), {}) if phase is not None else {}
        return Settings(self.phase_settings, stored)

    def default_settings(self) -> dict:
        return {s.name: s.default for s in self.settings}

    def default_phase_settings(self) -> dict:
        return {s.name: s.default for s in self.phase_settings}

    def clean_settings(self, raw: dict, *, per_phase: bool = False) -> dict:
        """Validated settings from raw values; missing ones take their default."""
        definitions = self.phase_settings if per_phase else self.settings
        cleaned, errors = {}, []
        for definition in definitions:
            try:
                cleaned[definition.name] = definition.clean(raw.get(definition.name, definition.default))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class Registry:
    def __init__(self):
        self._manifests: dict[str, ComponentManifest] = {}

    def register(self, manifest: ComponentManifest) -> ComponentManifest:
        if manifest.name in self._manifests:
            raise ValueError(f"Component {manifest.name!r} is registered twice")
        self._manifests[manifest.name] = manifest
        _forget_readers()
        return manifest

    def unregister(self, name: str) -> None:
        """For tests that register a component type for a while."""
        self._manifests.pop(name, None)
        _forget_readers()

    def get(self, name: str) -> ComponentManifest | None:
        return self._manifests.get(name)

    def __getitem__(self, name: str) -> ComponentManifest:
        return self._manifests[name]

    def all(self) -> list[ComponentManifest]:
        return list(self._manifests.values())

    def choices(self):
        return [(m.name, m.label) for m in self._manifests.values()]

    def resources(self) -> list[Resource]:
        """Every resource every component declares (the cross-cutting layers read them)."""
        return [resource for manifest in self._manifests.values() for resource in manifest.resources]

    def events(self) -> list[NotificationEvent]:
        """Every notification event every component declares."""
        return [event for manifest in self._manifests.values() for event in manifest.events]


registry = Registry()

T = TypeVar("T")


class once_ready(Generic[T]):  # noqa: N801  (used as a decorator, like functools.cache)
    """`build()` (what a layer reads from the manifests), kept once every app is
    ready: before that (during start-up) some manifests may not be registered
    yet, so it is built again at each call and not kept."""

    def __init__(self, build: Callable[[], T]):
        self._build = build
        self._kept: list[T] = []
        self._lock = threading.Lock()
        _readers.append(self)

    def __call__(self) -> T:
        if self._kept:
            return self._kept[0]
        value = self._build()
        if not apps.ready:
            return value
        with self._lock:
            if not self._kept:
                self._kept.append(value)
        return self._kept[0]

    def forget(self) -> None:
        """Build again at the next call (a manifest registered or unregistered)."""
        self._kept.clear()


_readers: list[once_ready] = []


def _forget_readers() -> None:
    for reader in _readers:
        reader.forget()


# Cross-cutting layers that keep configuration per component (eligibility
# rules ...) copy it too when a space is copied: callable(source, copy).
_copy_extensions: list[Callable] = []


def register_copy_extension(function: Callable) -> Callable:
    if function not in _copy_extensions:
        _copy_extensions.append(function)
    return function


def copy_extensions() -> list[Callable]:
    return list(_copy_extensions)
