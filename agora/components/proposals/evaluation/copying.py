"""Copying a space for its next edition: the evaluation grid of an ideas
component (its criteria, never the evaluations). A copy extension
(agora.components.registry), registered in ProposalEvaluationConfig.ready,
so the ideas app never imports the evaluation app."""

from agora.components.proposals.evaluation.models import Criterion


def copy_criteria(source, copy) -> None:
    if source.manifest_name != "proposals":
        return
    Criterion.objects.bulk_create(
        [
            Criterion(
                component=copy,
                label=criterion.label,
                help_text=criterion.help_text,
                kind=criterion.kind,
                required=criterion.required,
                weight=criterion.weight,
            )
            for criterion in Criterion.objects.filter(component=source)
        ]
    )
