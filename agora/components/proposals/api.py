"""What other components read from the ideas component (budgets turn accepted
ideas into projects, the follow-up links results to ideas). Nothing else of
this package is theirs to import: ask here, and add a function here when a
new need comes (the layers check, agora.devtools.layers, refuses the rest).

The functions return querysets of ideas so the caller can order, prefetch or
lock them; what an idea *is* (published, accepted) is decided here only.
What the evaluation grids say of ideas (estimated costs) is the evaluation
app's: agora.components.proposals.evaluation.api (the ideas app never imports
the app built on it)."""

from collections.abc import Callable
from typing import Any

from django.db.models import Expression, Q, QuerySet

from agora.components.models import Component
from agora.components.proposals import mentions, services
from agora.components.proposals.mentions import Mention
from agora.components.proposals.models import Proposal, ProposalQuerySet, ProposalState


def filed_ideas(*, space=None, organization=None, component=None) -> QuerySet:
    """Ideas past their draft (published or withdrawn) of a space, an
    organization or one ideas component; moderated ones included (staff
    screens link to them)."""
    ideas = Proposal.objects.published()
    if space is not None:
        ideas = ideas.filter(component__space=space)
    if organization is not None:
        ideas = ideas.filter(component__space__organization=organization)
    if component is not None:
        ideas = ideas.filter(component=component)
    return ideas


def idea_ids(*, organization) -> set[int]:
    """The ids of every idea of an organization, drafts included (to check ids typed in a file)."""
    return set(Proposal.objects.filter(component__space__organization=organization).values_list("pk", flat=True))


def public_ideas() -> QuerySet:
    """Ideas the public may see (past their draft, not hidden by moderation),
    with their component and space."""
    return Proposal.objects.published().visible().select_related("component__space")


def accepted_ideas(*, space=None, component=None) -> ProposalQuerySet:
    """Ideas whose published answer accepts them, of a space or of one ideas component."""
    ideas = Proposal.objects.filter(published_state__meaning=ProposalState.Meaning.ACCEPTED)
    if space is not None:
        ideas = ideas.filter(component__space=space)
    if component is not None:
        ideas = ideas.filter(component=component)
    return ideas


def is_accepted(idea) -> bool:
    """Does the idea's published answer accept it?"""
    return idea.published_state is not None and idea.published_state.meaning == ProposalState.Meaning.ACCEPTED


def ideas_components(*, space) -> QuerySet:
    """The ideas components of a space (where ideas given at a meeting are filed)."""
    return Component.objects.filter(space=space, manifest_name="proposals").order_by("weight", "id")


def file_idea_at_meeting(*, actor, component, author_name: str, title: str, body: str) -> Proposal:
    """An idea given at a meeting, typed in by staff and published at once in the
    resident's name, marked with the channel "at a meeting" (the meetings component
    links it to its meeting). Staff of the ideas component only
    (`proposals.enter_on_behalf`); the component's own rules on fields apply."""
    return services.enter_idea(
        actor=actor,
        component=component,
        channel=Proposal.Channel.MEETING,
        author_name=author_name,
        title=title,
        body=body,
    )


# --- what other components say of an idea -----------------------------------------------------


def register_mentions(
    provider: Callable[[Any, Any], list[Mention]], *, linked: Callable[[], Expression] | None = None
) -> None:
    """`provider(idea, user)` -> the mentions of `idea` that `user` may see; a
    component built after the ideas registers one in its AppConfig.ready (the
    meetings: the meeting an idea was given at, the meetings that discuss it), so
    the ideas app shows them without importing it. `linked()`, when given, is a
    boolean expression on the ideas (`OuterRef("pk")`: the idea) telling
    whether the provider may have anything to say of an idea: the idea's page
    reads it with the idea and asks the provider only when it holds, so that
    an idea nobody mentions costs no query."""
    mentions.register(provider, linked)


def mentions_of(idea: Proposal, user: Any) -> list[Mention]:
    """What the registered components say of `idea` for `user`, in their order."""
    return mentions.mentions_of(idea, user)


def ideas_to_draw(*, component, category_id: int | None = None, state_token: str = "") -> QuerySet:
    """The ideas a drawing by lot may pick from one ideas component: published (not
    withdrawn), not hidden by moderation, optionally of one category (or its
    sub-categories) and of one published state (its token)."""
    ideas = Proposal.objects.active().visible().filter(component=component)
    if category_id is not None:
        ideas = ideas.filter(Q(category_id=category_id) | Q(category__parent_id=category_id))
    if state_token:
        ideas = ideas.filter(published_state__token=state_token)
    return ideas.order_by("pk")


def idea_states(*, component) -> QuerySet:
    """The states an ideas component gives its ideas (token, name), in their order."""
    return ProposalState.objects.filter(component=component)
