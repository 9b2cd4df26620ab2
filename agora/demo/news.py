"""News of the demo consultation: its own posts (the news seed words posts
for a participatory budget, which a consultation is not)."""

from datetime import timedelta

from django.utils import timezone

from agora.components.news.services import insert_post
from agora.core.translations import tr

CONSULTATION_POSTS = [
    (
        9,
        tr("Trois scénarios pour les berges de la Loire", "Three designs for the Loire riverbanks"),
        tr(
            "<p>Promenade plantée, guinguette et pontons, ou espace de jeux et de sport : les trois scénarios "
            "dessinés par les paysagistes sont présentés en mairie et sur cette page. Dites-nous lequel "
            "correspond à vos usages.</p>",
            "<p>A tree-lined walk, an open-air café with pontoons, or a play and sports area: the three designs "
            "drawn by the landscape architects are on show at the town hall and on this page. Tell us which one "
            "fits the way you use the banks.</p>",
        ),
    ),
    (
        4,
        tr("Atelier sur les berges samedi matin", "Workshop on the riverbanks on Saturday morning"),
        tr(
            "<p>Rendez-vous samedi à 10 h au pied du pont pour une balade commentée avec les paysagistes, "
            "puis un atelier sur plan. Le parcours est accessible en fauteuil roulant.</p>",
            "<p>Meet on Saturday at 10 am at the foot of the bridge for a guided walk with the landscape "
            "architects, then a workshop around the plans. The route is wheelchair accessible.</p>",
        ),
    ),
    (
        1,
        tr("Déjà 180 réponses au questionnaire", "Already 180 answers to the survey"),
        tr(
            "<p>Merci aux 180 personnes qui ont déjà répondu. Le questionnaire reste ouvert jusqu'à la fin de la "
            "phase ; une version papier est disponible à l'accueil de la mairie.</p>",
            "<p>Thank you to the 180 people who have already answered. The survey stays open until the end of "
            "the phase; a paper version is available at the town hall's front desk.</p>",
        ),
    ),
]


def seed_consultation_news(component):
    now = timezone.now()
    for days_ago, title, body in CONSULTATION_POSTS:
        insert_post(
            component=component,
            author=None,
            official=True,
            title=title,
            body=body,
            published_at=now - timedelta(days=days_ago),
        )
