"""The demo consultation "Plan vélo 2027": a survey of 15 questions using
every type (with sections, two pages breaks and two display conditions),
500 generated responses (some typed in from paper) and published results."""

import random
from datetime import timedelta

from django.utils import timezone

from agora.components.surveys import services
from agora.components.surveys.models import Response, Survey
from agora.components.surveys.seeds import answer_sets
from agora.core.translations import tr
from agora.questionnaires import seeding, selectors

ANSWERS = 500

QUESTIONS = [
    {
        "kind": "section",
        "title": tr("Vos déplacements", "How you get around"),
        "help_text": tr(
            "Pour commencer, parlez-nous de vos trajets de tous les jours.",
            "To start with, tell us about your everyday journeys.",
        ),
    },
    {
        "kind": "single",
        "title": tr("Quel est votre mode de déplacement principal ?", "What is your main way of getting around?"),
        "mandatory": True,
        "other": True,
        "options": [
            tr("La voiture", "Car"),
            tr("Le vélo", "Bicycle"),
            tr("Les transports en commun", "Public transport"),
            tr("La marche", "Walking"),
            tr("Autre", "Other"),
        ],
    },
    {
        "kind": "scale",
        "title": tr("Vous sentez-vous en sécurité à vélo en ville ?", "Do you feel safe cycling in town?"),
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": tr("Pas du tout", "Not at all"),
        "scale_max_label": tr("Tout à fait", "Completely"),
        "mandatory": True,
    },
    # Condition 1: only cyclists are asked how far they ride.
    {
        "kind": "number",
        "title": tr(
            "Combien de kilomètres parcourez-vous à vélo par semaine ?", "How many kilometres do you cycle a week?"
        ),
        "help_text": tr("Une estimation suffit.", "An estimate is enough."),
        "number_min": 0,
        "number_max": 500,
        "conditions": [(1, "equals", 1, None)],
    },
    # Condition 2: the others are asked what keeps them off the bike.
    {
        "kind": "long_text",
        "title": tr("Qu'est-ce qui vous empêche de prendre le vélo ?", "What keeps you from cycling?"),
        "max_length": 800,
        "conditions": [(1, "differs", 1, None)],
    },
    {
        "kind": "multiple",
        "title": tr(
            "Quels aménagements vous feraient faire plus de vélo ?", "Which changes would make you cycle more?"
        ),
        "max_choices": 3,
        "other": True,
        "options": [
            tr("Des pistes séparées des voitures", "Cycle lanes separated from cars"),
            tr("Des stationnements sécurisés", "Secure bicycle parking"),
            tr("Des zones 30", "20 mph zones"),
            tr("Des ateliers de réparation", "Repair workshops"),
            tr("La location de vélos longue durée", "Long-term bicycle rental"),
            tr("Autre", "Other"),
        ],
    },
    {"kind": "page_break", "title": {}},
    {
        "kind": "section",
        "title": tr("Les projets du plan vélo", "The projects of the cycling plan"),
        "help_text": tr(
            "La Ville étudie quatre projets pour 2027 ; dites-nous lesquels comptent le plus pour vous.",
            "The town is studying four projects for 2027; tell us which matter most to you.",
        ),
    },
    {
        "kind": "ranking",
        "title": tr("Classez ces projets par ordre de priorité", "Rank these projects by priority"),
        "mandatory": True,
        "options": [
            tr("Une piste cyclable le long du quai de Loire", "A cycle lane along the Loire quay"),
            tr("Une passerelle vers la gare", "A footbridge to the station"),
            tr("Un parking vélo sécurisé à la gare", "Secure bicycle parking at the station"),
            tr("Des itinéraires protégés vers les écoles", "Protected routes to the schools"),
        ],
    },
    {
        "kind": "matrix_single",
        "title": tr("Comment jugez-vous ces itinéraires aujourd'hui ?", "How do you find these routes today?"),
        "rows": [
            tr("Centre-ville – Gare", "Town centre – Station"),
            tr("Centre-ville – Les Prés", "Town centre – Les Prés"),
            tr("Les bords de Loire", "Along the Loire"),
        ],
        "options": [
            tr("Agréable", "Pleasant"),
            tr("Acceptable", "Acceptable"),
            tr("Dangereux", "Dangerous"),
            tr("Je ne l'emprunte pas", "I do not use it"),
        ],
    },
    {
        "kind": "matrix_multiple",
        "title": tr("Quand utiliseriez-vous ces services ?", "When would you use these services?"),
        "rows": [
            tr("Atelier de réparation participatif", "Community repair workshop"),
            tr("Location de vélos à assistance électrique", "Electric bicycle rental"),
        ],
        "options": [
            tr("En semaine", "On weekdays"),
            tr("Le week-end", "At weekends"),
            tr("Pendant les vacances", "On holiday"),
        ],
    },
    {
        "kind": "scale",
        "title": tr(
            "Quelle note donnez-vous au réseau cyclable actuel ?", "How would you rate the current cycling network?"
        ),
        "scale_min": 1,
        "scale_max": 10,
        "scale_min_label": tr("Très mauvais", "Very poor"),
        "scale_max_label": tr("Excellent", "Excellent"),
    },
    {
        "kind": "single",
        "title": tr(
            "Êtes-vous favorable à une rue Nationale sans voitures le dimanche ?",
            "Would you support a car-free rue Nationale on Sundays?",
        ),
        "options": [tr("Oui", "Yes"), tr("Non", "No"), tr("Sans avis", "No opinion")],
    },
    {
        "kind": "date",
        "title": tr("Quand avez-vous fait du vélo pour la dernière fois ?", "When did you last ride a bicycle?"),
        "help_text": tr("Laissez vide si vous ne vous en souvenez pas.", "Leave empty if you do not remember."),
    },
    {"kind": "page_break", "title": {}},
    {"kind": "section", "title": tr("Pour finir", "To finish")},
    {
        "kind": "short_text",
        "title": tr("Votre quartier", "Your district"),
        "help_text": tr("Facultatif : pour situer les besoins.", "Optional: to locate the needs."),
    },
    {
        "kind": "file",
        "title": tr("Une photo d'un endroit à améliorer", "A photo of a place to improve"),
        "help_text": tr("Facultatif.", "Optional."),
    },
    {
        "kind": "long_text",
        "title": tr("Une idée, une remarque sur le plan vélo ?", "An idea or a remark about the cycling plan?"),
        "max_length": 1500,
    },
    {
        "kind": "multiple",
        "title": tr("Comment avez-vous connu cette consultation ?", "How did you hear about this consultation?"),
        "options": [
            tr("Le journal municipal", "The town magazine"),
            tr("Les réseaux sociaux", "Social media"),
            tr("Les affiches", "Posters"),
            tr("Le bouche-à-oreille", "Word of mouth"),
        ],
    },
]

OBSTACLES = [
    "Trop de voitures sur la route de la gare, je n'ose pas.",
    "Je n'ai nulle part où ranger un vélo chez moi.",
    "Les côtes vers Les Prés sont trop raides pour moi.",
    "Je transporte mes enfants, c'est compliqué.",
    "On m'a volé deux vélos devant la gare.",
    "Il pleut trop souvent en hiver.",
    "Je travaille à 20 km, c'est trop loin.",
    "Les pistes s'arrêtent au milieu de nulle part.",
]
DISTRICTS = ["Centre-ville", "Les Prés", "Quartier de la Gare", "Les Prés, rue des Tilleuls", "Centre, place du Marché"]
IDEAS = [
    "Des arceaux devant la médiathèque et la piscine, s'il vous plaît.",
    "Un marquage au sol pour les doubles-sens cyclables, les voitures ne les voient pas.",
    "Une vélo-école pour les adultes qui n'ont jamais appris.",
    "Des feux décalés pour les vélos au carrefour de la gare.",
    "Prolonger la piste des bords de Loire jusqu'au pont.",
    "Un abri vélo couvert au collège.",
    "Plus de contrôles de vitesse rue Nationale.",
]


def seed_plan_velo(component, *, participants=()):
    """The survey of the consultation, its answers and its published results."""
    survey = services.ensure_survey(component)
    Survey.objects.filter(pk=survey.pk).update(
        introduction=tr(
            "<p>La Ville prépare son plan vélo 2027. Dites-nous comment vous vous déplacez et quels projets "
            "comptent pour vous : le questionnaire prend une dizaine de minutes, en trois pages.</p>",
            "<p>The town is preparing its 2027 cycling plan. Tell us how you get around and which projects "
            "matter to you: the survey takes about ten minutes, over three pages.</p>",
        ),
        terms=tr(
            "<p>Vos réponses sont utilisées pour préparer le plan vélo. Les résultats publiés ne montrent que des "
            "totaux ; aucune réponse n'est publiée avec un nom.</p>",
            "<p>Your answers are used to prepare the cycling plan. Published results show totals only; no answer "
            "is ever published with a name.</p>",
        ),
        closes_at=timezone.now() + timedelta(days=20),
    )
    questions = seeding.build(survey.questionnaire, QUESTIONS)
    answerable = [question for question in questions if not question.is_layout]
    obstacles, district, ideas = answerable[3], answerable[11], answerable[13]
    texts = {obstacles.pk: OBSTACLES, district.pk: DISTRICTS, ideas.pk: IDEAS}
    answer_sets(survey, ANSWERS - len(participants), texts=texts, seed=2027, paper_every=9)
    # A few named residents answered too: logged in as one of them, the page says so.
    rng = random.Random(7)
    all_questions = selectors.questions_of(survey.questionnaire)
    named = [seeding.random_values(all_questions, rng, texts=texts) for _person in participants]
    for person, answer_set in zip(participants, seeding.bulk_answers(survey.questionnaire, named)):
        Response.objects.create(survey=survey, answer_set=answer_set, respondent=person)
    services.recount(survey)
    Survey.objects.filter(pk=survey.pk).update(
        results_published_at=timezone.now(),
        published_questions=[
            question.pk
            for question in answerable
            if question.kind in ("single", "multiple", "ranking", "matrix_single", "matrix_multiple", "scale")
        ],
    )
    return survey
