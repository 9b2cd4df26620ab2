from django.apps import AppConfig


class ProposalEvaluationConfig(AppConfig):
    """The back-office side of ideas: evaluation grids, evaluators' work,
    answers. Its own app (and migrations) so it grows beside the public side."""

    name = "agora.components.proposals.evaluation"
    label = "proposal_evaluation"
    verbose_name = "Proposal evaluation"

    def ready(self):
        from agora.components.proposals.evaluation import rules  # noqa: F401  (registers the permission rules)
