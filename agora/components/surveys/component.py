"""Manifest of the surveys component (questionnaires of every question type,
with display conditions and published results), discovered at start-up."""

from django.utils.translation import gettext_lazy as _

from agora.components.registry import (
    MANAGERS,
    PARTICIPANTS,
    ActionRule,
    ComponentManifest,
    OpenDataTable,
    Setting,
    TranslatableFields,
    registry,
)

manifest = registry.register(
    ComponentManifest(
        name="surveys",
        label=_("Survey"),
        description=_(
            "A questionnaire with every type of question and display conditions; results for the "
            "officers, published results for everyone, exports and paper answers."
        ),
        settings=(
            Setting(
                "anonymous_answers",
                "bool",
                False,
                _("People without an account may answer"),
                help_text=_(
                    "One answer per browser session, limited per address. Eligibility rules cannot be checked for them."
                ),
            ),
            Setting("editable", "bool", True, _("People may change their answers until the survey closes")),
            Setting("max_answers", "int", 0, _("Most answers taken (0: no limit)"), min_value=0, max_value=10_000_000),
            Setting("confirmation_email", "bool", True, _("Send a confirmation e-mail to people who answer")),
        ),
        phase_settings=(
            Setting(
                "answers_enabled",
                "bool",
                True,
                _("Answers open"),
                help_text=_("Participants may answer during this phase (within the survey's dates)."),
            ),
        ),
        rules=(
            ActionRule(
                "surveys.respond",
                PARTICIPANTS,
                action="respond",
                opened_by="answers_enabled",
                view="surveys:respond",
                method="GET",
            ),
            ActionRule("surveys.manage", MANAGERS, view="surveys_admin:index", method="GET"),
        ),
        public_urls="agora.components.surveys.urls",
        admin_urls="agora.components.surveys.admin_urls",
        stats="agora.components.surveys.hooks.stats",
        stats_many="agora.components.surveys.hooks.stats_many",
        participation="agora.components.surveys.hooks.participation",
        participant_ids="agora.components.surveys.hooks.participant_ids",
        exports={"json": "agora.components.surveys.hooks.export_json"},
        search="agora.components.surveys.hooks.search",
        seed="agora.components.surveys.hooks.seed",
        copy="agora.components.surveys.hooks.copy_configuration",
        # The survey's presentation; never the answers (nor the questions, the questionnaire's).
        embed="agora.components.surveys.sharing.embed_card",
        translatable=(
            TranslatableFields(
                "surveys.Survey",
                ("introduction",),
                rows="agora.components.surveys.selectors.public_surveys",
                html=("introduction",),
            ),
        ),
        api="agora.components.surveys.public_api.router",
        personal_data="agora.components.surveys.hooks.personal_data",
        open_data=(
            OpenDataTable(
                "survey_results",
                _("Published results of surveys"),
                rows="agora.components.surveys.hooks.open_data_results",
                translated=(
                    "question_text",
                    "row",
                    "answer",
                ),
                columns=(
                    ("question", _("Number of the question")),
                    ("question_text", _("Question, per language")),
                    ("row", _("Row of a matrix question, per language (empty otherwise)")),
                    ("answer", _("Answer (option or value), per language")),
                    ("count", _("How many people gave this answer (ranked first, for a ranking)")),
                    ("percent", _("Share of the people who answered the question (or the row)")),
                    ("answered", _("How many people answered the question (or the row)")),
                ),
            ),
        ),
    )
)
