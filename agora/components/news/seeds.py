"""Demo news: three posts, worded for a process or for an assembly."""

from datetime import timedelta

from django.utils import timezone

from agora.comments.demo import seed_discussion
from agora.components.news.services import insert_post
from agora.core.translations import tr, translated


def _process_posts(title_fr, title_en):
    return [
        (
            12,
            tr(f"C'est parti : {title_fr}", f"It has started: {title_en}"),
            tr(
                f"<p>La démarche « {title_fr} » est ouverte. Pendant la première phase, chaque habitante et chaque "
                "habitant peut proposer ses idées en ligne ou à l'accueil de la mairie.</p>"
                "<p>Avant de vous lancer, lisez le règlement et les questions fréquentes : vous y trouverez qui peut "
                "participer et comment les propositions sont étudiées.</p>",
                f'<p>"{title_en}" is open. During the first phase, every resident can propose ideas online or at '
                "the town hall's front desk.</p>"
                "<p>Before you start, read the rules and the frequently asked questions: they say who can take part "
                "and how proposals are studied.</p>",
            ),
        ),
        (
            6,
            tr("Réunion publique d'information mardi à 18 h 30", "Public information meeting on Tuesday at 6.30 pm"),
            tr(
                "<p>Les agents de la Ville présentent la démarche et répondent à vos questions à la salle des fêtes, "
                "mardi à 18 h 30. La salle est accessible aux personnes en fauteuil roulant et une boucle magnétique "
                "est disponible.</p><p>Vous ne pouvez pas venir ? Le diaporama sera publié ici après la réunion.</p>",
                "<p>Town staff present the process and answer your questions at the community hall on Tuesday at "
                "6.30 pm. The hall is wheelchair accessible and a hearing loop is available.</p>"
                "<p>Cannot come? The slides will be published here after the meeting.</p>",
            ),
        ),
        (
            2,
            tr("Des permanences pour vous accompagner", "Drop-in sessions to help you"),
            tr(
                "<p>Pas à l'aise avec Internet ? Des médiateurs numériques vous accueillent à la médiathèque le "
                "mercredi de 14 h à 17 h et le samedi de 10 h à 12 h pour déposer une idée ou créer votre compte.</p>",
                "<p>Not comfortable with the Internet? Digital helpers welcome you at the library on Wednesdays from "
                "2 to 5 pm and on Saturdays from 10 am to noon to submit an idea or create your account.</p>",
            ),
        ),
    ]


def _assembly_posts(title_fr, title_en):
    return [
        (
            40,
            tr("Compte rendu de la séance de rentrée", "Minutes of the first meeting of the year"),
            tr(
                f"<p>Le {title_fr} s'est réuni avec 14 membres présents. Ordre du jour : calendrier de l'année, "
                "sécurité aux abords des écoles, fête de quartier.</p>"
                "<ul><li>Un groupe de travail sur les abords des écoles est créé.</li>"
                "<li>La fête de quartier aura lieu en juin.</li></ul>",
                f"<p>The {title_en} met with 14 members present. Agenda: calendar of the year, safety around "
                "schools, the neighbourhood party.</p>"
                "<ul><li>A working group on the areas around schools is set up.</li>"
                "<li>The neighbourhood party will take place in June.</li></ul>",
            ),
        ),
        (
            20,
            tr("Compte rendu : sécurité aux abords des écoles", "Minutes: safety around schools"),
            tr(
                "<p>Le groupe de travail a recensé trois carrefours dangereux et propose un plateau surélevé rue des "
                "Tilleuls. La proposition est transmise au service voirie.</p>",
                "<p>The working group listed three dangerous crossroads and proposes a raised crossing on rue des "
                "Tilleuls. The proposal has been sent to the roads department.</p>",
            ),
        ),
        (
            3,
            tr("Prochaine séance ouverte au public", "Next meeting open to the public"),
            tr(
                "<p>La prochaine séance est ouverte à toutes et tous : venez écouter et poser vos questions en fin de "
                "séance. Rendez-vous à la maison de quartier à 19 h.</p>",
                "<p>The next meeting is open to everyone: come and listen, and ask your questions at the end. "
                "See you at the community centre at 7 pm.</p>",
            ),
        ),
    ]


def seed(component):
    space = component.space
    title_fr, title_en = translated(space.title, "fr"), translated(space.title, "en")
    posts = _process_posts(title_fr, title_en) if space.is_process else _assembly_posts(title_fr, title_en)
    now = timezone.now()
    made = [
        insert_post(
            component=component,
            author=None,
            official=True,
            title=title,
            body=body,
            published_at=now - timedelta(days=days_ago),
        )
        for days_ago, title, body in posts
    ]
    # The latest post is discussed by the organization's participants (when it has some).
    latest = max(made, key=lambda post: post.published_at)
    seed_discussion(latest, turn=component.pk)
