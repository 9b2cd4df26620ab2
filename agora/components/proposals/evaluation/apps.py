from django.apps import AppConfig


class ProposalEvaluationConfig(AppConfig):
    """The back-office side of ideas: evaluation grids, evaluators' work,
    answers. Its own app (and migrations) so it grows beside the public side."""

    name = "agora.components.proposals.evaluation"
    label = "proposal_evaluation"
    verbose_name = "Proposal evaluation"

    def ready(self):
        from agora.components.proposals.evaluation import copying, rules  # noqa: F401  (rules: registers the permission rules)
        from agora.components.registry import register_copy_extension

        register_copy_extension(copying.copy_criteria)
