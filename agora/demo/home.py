"""The demo town's home page, composed by its administrator from blocks
(agora.core.home) through the services, as an officer would in the
back-office: a hero with a picture of the Loire and a button to the
list of processes, "the vote is open" banner (it shows itself when the
budget's "Vote" phase opens), the open processes, the key figures, the next
meetings, the latest news and a free text on how taking part works."""

from django.core.files.uploadedfile import SimpleUploadedFile

from agora.core import services
from agora.core.translations import tr
from agora.demo.pictures import draw_scene

HOW_IT_WORKS_FR = """<p>Chaque année, la Ville consacre une part de son budget d'investissement à des projets \
proposés et choisis par les habitantes et les habitants.</p>
<ol>
<li><strong>Proposez</strong> une idée pour votre quartier ou pour toute la ville.</li>
<li><strong>Soutenez et commentez</strong> les idées des autres.</li>
<li><strong>Votez</strong> pour les projets retenus, en ligne ou à la mairie.</li>
<li><strong>Suivez</strong> leur réalisation, étape par étape.</li>
</ol>
<p>Pas d'ordinateur ? L'accueil de la mairie et la médiathèque vous aident à participer.</p>"""
HOW_IT_WORKS_EN = """<p>Every year, the town devotes part of its investment budget to projects proposed and \
chosen by its residents.</p>
<ol>
<li><strong>Propose</strong> an idea for your neighbourhood or for the whole town.</li>
<li><strong>Support and comment on</strong> the ideas of others.</li>
<li><strong>Vote</strong> for the selected projects, online or at the town hall.</li>
<li><strong>Follow</strong> how they are built, step by step.</li>
</ol>
<p>No computer? The town hall's front desk and the library help you take part.</p>"""


def compose_home(organization, *, actor) -> None:
    hero = services.compose_home_page(actor=actor, organization=organization)[0]
    picture = SimpleUploadedFile("loire.jpg", draw_scene("riverside_lights", "home-hero"), content_type="image/jpeg")
    services.update_home_block(
        actor=actor,
        block=hero,
        is_enabled=True,
        image=picture,
        settings={
            "title": tr("Belleville-sur-Loire, c'est vous qui décidez", "Belleville-sur-Loire: you decide"),
            "text": tr(
                "<p>Proposez vos idées, débattez-en avec vos voisins et votez pour les projets qui "
                "changeront la ville.</p>",
                "<p>Propose your ideas, discuss them with your neighbours and vote for the projects that "
                "will change the town.</p>",
            ),
            "image_alt": tr(
                "Les berges de la Loire à la tombée du jour, éclairées par des lampadaires le long de la promenade",
                "The banks of the Loire at dusk, lit by street lamps along the path",
            ),
            "cta_label": tr("Voir toutes les démarches", "See every process"),
            "cta_url": "/processes/",
        },
    )
    banner = services.add_home_block(
        actor=actor,
        organization=organization,
        kind="budgets.vote_open",
        settings={
            "text": tr(
                "Chaque voix compte : choisissez jusqu'à 3 projets.", "Every vote counts: choose up to 3 projects."
            ),
        },
    )
    services.move_home_block(actor=actor, block=banner, direction="up")
    services.move_home_block(actor=actor, block=banner, direction="up")  # right under the hero
    figures = services.add_home_block(
        actor=actor,
        organization=organization,
        kind="statistics.participation",
        settings={"title": tr("Belleville participe", "Belleville takes part")},
    )
    services.move_home_block(actor=actor, block=figures, direction="up")  # before the latest news
    meetings = services.add_home_block(
        actor=actor,
        organization=organization,
        kind="meetings.upcoming",
        settings={"title": tr("Venez en parler", "Come and talk about it"), "count": 3},
    )
    services.move_home_block(actor=actor, block=meetings, direction="up")  # before the latest news
    services.add_home_block(
        actor=actor,
        organization=organization,
        kind="text",
        settings={
            "title": tr("Comment participer ?", "How to take part?"),
            "text": tr(HOW_IT_WORKS_FR, HOW_IT_WORKS_EN),
        },
    )
