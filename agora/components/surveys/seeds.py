"""Demo survey of a component: a short questionnaire about the space, with
a condition, and a few dozen answers (results to look at)."""

import random

from django.utils import timezone

from agora.components.surveys import services
from agora.components.surveys.models import Response, Survey
from agora.core.translations import tr
from agora.questionnaires import seeding, selectors

QUESTIONS: list[dict] = [
    {
        "kind": "section",
        "title": tr("Vous et la démarche", "You and the process"),
        "help_text": tr("Quelques questions pour mieux vous connaître.", "A few questions to know you better."),
    },
    {
        "kind": "single",
        "title": tr("Comment avez-vous connu cette démarche ?", "How did you hear about this process?"),
        "mandatory": True,
        "other": True,
        "options": [
            tr("Le journal municipal", "The town magazine"),
            tr("Les réseaux sociaux", "Social media"),
            tr("Le bouche-à-oreille", "Word of mouth"),
            tr("Autre", "Other"),
        ],
    },
    {
        "kind": "scale",
        "title": tr("Êtes-vous satisfait de l'information donnée ?", "Are you satisfied with the information given?"),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": tr("Pas du tout", "Not at all"),
        "scale_max_label": tr("Tout à fait", "Completely"),
    },
    {
        "kind": "long_text",
        "title": tr("Que faudrait-il améliorer ?", "What should be improved?"),
        "max_length": 1000,
        "conditions": [(2, "below", None, 3)],
    },
    {"kind": "page_break", "title": {}},
    {
        "kind": "multiple",
        "title": tr("Quels sujets vous intéressent ?", "Which topics interest you?"),
        "max_choices": 3,
        "options": [
            tr("Mobilités", "Transport"),
            tr("Espaces verts", "Green spaces"),
            tr("Culture", "Culture"),
            tr("Sport", "Sport"),
            tr("Jeunesse", "Youth"),
        ],
    },
    {
        "kind": "ranking",
        "title": tr("Classez ces priorités", "Rank these priorities"),
        "options": [tr("Sécurité", "Safety"), tr("Propreté", "Cleanliness"), tr("Animation", "Local life")],
    },
]
IMPROVEMENTS = [
    "Plus de réunions le soir, après le travail.",
    "Un affichage dans les halls d'immeubles.",
    "Des documents plus courts et plus clairs.",
    "Une permanence le samedi matin au marché.",
]


def seed(component, answers: int = 24):
    survey = services.ensure_survey(component)
    Survey.objects.filter(pk=survey.pk).update(
        introduction=tr(
            "<p>Dites-nous en quelques minutes comment vous vivez cette démarche : vos réponses nous aident à "
            "l'améliorer.</p>",
            "<p>Tell us in a few minutes how you experience this process: your answers help us improve it.</p>",
        )
    )
    questions = seeding.build(survey.questionnaire, QUESTIONS)
    answer_sets(survey, answers, texts={questions[3].pk: IMPROVEMENTS}, seed=component.pk)
    # The results of the choice questions are public.
    Survey.objects.filter(pk=survey.pk).update(
        results_published_at=timezone.now(),
        published_questions=[question.pk for question in questions if question.has_options or question.kind == "scale"],
    )


def answer_sets(survey, count: int, *, texts=None, seed=0, paper_every: int = 0):
    """`count` generated responses (people without an account, or paper forms every `paper_every`)."""
    rng = random.Random(seed)
    questions = selectors.questions_of(survey.questionnaire)
    values = [seeding.random_values(questions, rng, texts=texts) for _index in range(count)]
    sets = seeding.bulk_answers(survey.questionnaire, values)
    now = timezone.now()
    Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                answer_set=answer_set,
                channel=Response.Channel.PAPER if paper_every and index % paper_every == 0 else Response.Channel.ONLINE,
                reference="Mairie, urne 1" if paper_every and index % paper_every == 0 else "",
                session_key="" if paper_every and index % paper_every == 0 else f"demo-{survey.pk}-{seed}-{index}",
                created_at=now,
            )
            for index, answer_set in enumerate(sets)
        ]
    )
    services.recount(survey)
