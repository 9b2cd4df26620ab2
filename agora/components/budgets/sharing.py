"""Sharing budgets: the embeddable card of a project (the manifest's `embed` hook)."""

from django.utils.translation import gettext as _

from agora.components.budgets import selectors
from agora.components.registry import EmbedCard
from agora.core import formats
from agora.core.translations import translated
from agora.web import sharing


def embed_card(request, resource_id):
    """A project of a budget of the request's component (public, which the view
    checked), asked as an anonymous visitor; whether it won only once the results
    are published."""
    if resource_id is None:
        return None
    project = selectors.project_of(request.component, resource_id)
    if project is None:
        return None
    budget = project.budget
    facts = [(_("Budget"), translated(budget.title)), (_("Cost"), formats.money(project.cost))]
    if budget.results_published:
        won = project.pk in budget.winner_ids()
        facts.append((_("Result"), _("Selected") if won else _("Not selected")))
    return EmbedCard(
        title=translated(project.title),
        url=project.get_absolute_url(),
        meta=request.organization.name,
        summary=sharing.plain_description(translated(project.description), 600),
        picture=project.picture(wanted=640) if project.image else None,
        facts=tuple(facts),
        more=_("See this project on the site of %(name)s") % {"name": request.organization.name},
    )
