"""The demo city: a believable French town running a participatory budget,
a consultation and a neighbourhood council. Dates are set around today so
that the demo always has a phase open for ideas."""

from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import ConsentRecord, Membership, User
from agora.accounts.services import record_consent
from agora.components.initiatives import api as initiatives_api
from agora.components.models import Component
from agora.components.registry import registry
from agora.components.sortitions.seeds import seed as seed_panels
from agora.components.sortitions.seeds import seed_idea_draw, seed_volunteers
from agora.core import machine_translation
from agora.core.models import Organization, TermsVersion
from agora.core.services import update_organization
from agora.core.translations import tr
from agora.demo.accessibility import seed_accessibility_statement
from agora.demo.attention import seed_attention
from agora.demo.edition_2025 import seed_previous_edition
from agora.demo.evaluation import seed_evaluation
from agora.demo.home import compose_home
from agora.demo.illustrations import (
    illustrate_categories,
    illustrate_ideas,
    illustrate_meetings,
    illustrate_news,
    illustrate_projects,
    illustrate_results,
    illustrate_spaces,
)
from agora.demo.meetings import seed_meeting_ideas
from agora.demo.news import seed_consultation_news
from agora.demo.newsletters import seed_newsletters
from agora.demo.paper_ideas import seed_paper_ideas
from agora.demo.participation import seed_statistics
from agora.demo.pictures import draw_favicon
from agora.demo.surveys import seed_plan_velo
from agora.desk.demo import seed_demo as seed_desk
from agora.opendata import services as opendata
from agora.opendata.models import Licence
from agora.privacy import services as privacy
from agora.spaces.models import AssemblyMember, Phase, ProcessGroup, Role, Space
from agora.taxonomy.models import Category, Scope, ScopeType
from agora.verifications.demo import seed_demo as seed_verifications
from agora.verifications.demo import seed_vote_rule

CATEGORIES = [
    ("Sport", "Sport", []),
    ("Culture", "Culture", []),
    ("Loisirs", "Leisure", []),
    ("Écologie", "Ecology", [("Biodiversité", "Biodiversity"), ("Mobilités douces", "Active mobility")]),
    ("Voirie et sécurité", "Streets and safety", []),
    ("Cadre de vie", "Living environment", []),
]

ADMIN_PASSWORD = "demo-admin-2026"
PARTICIPANT_PASSWORD = "demo-participant-2026"

DEMO_ACCOUNTS = [
    ("organization admin", "admin@belleville.example", ADMIN_PASSWORD),
    ("process admin (budget)", "agent.budget@belleville.example", ADMIN_PASSWORD),
    ("evaluator (budget 2026)", "julien.mercier@belleville.example", ADMIN_PASSWORD),
    ("evaluator (budget 2026)", "sophie.laurent@belleville.example", ADMIN_PASSWORD),
    ("participant", "camille@belleville.example", PARTICIPANT_PASSWORD),
    ("participant", "karim@belleville.example", PARTICIPANT_PASSWORD),
    ("participant", "lea@belleville.example", PARTICIPANT_PASSWORD),
    ("participant", "thomas@belleville.example", PARTICIPANT_PASSWORD),
    ("participant", "fatou@belleville.example", PARTICIPANT_PASSWORD),
]

CHARTER = tr(
    "<h2>Charte de participation</h2>"
    "<p>Cette plateforme permet aux habitantes et habitants de Belleville-sur-Loire de proposer des idées, "
    "d'en débattre et de voter. En participant, je m'engage à :</p>"
    "<ul><li>respecter les autres participants et leurs opinions ;</li>"
    "<li>ne publier ni propos injurieux, ni données personnelles d'autrui, ni publicité ;</li>"
    "<li>proposer des idées d'intérêt général, qui relèvent des compétences de la commune.</li></ul>"
    "<p>Les données personnelles sont traitées par la Ville pour la seule gestion de la participation. "
    "Vous pouvez supprimer votre compte à tout moment depuis « Mon compte ».</p>",
    "<h2>Participation charter</h2>"
    "<p>This platform lets the residents of Belleville-sur-Loire propose ideas, discuss them and vote. "
    "By taking part, I commit to:</p>"
    "<ul><li>respect other participants and their opinions;</li>"
    "<li>publish no insults, no one else's personal data, no advertising;</li>"
    "<li>propose ideas of general interest that fall within the town's powers.</li></ul>"
    "<p>Personal data is processed by the town only to manage participation. "
    'You can delete your account at any time from "My account".</p>',
)


def _user(email, nickname, name, password, organization, **extra):
    user = User.objects.create_user(email=email, password=password, nickname=nickname, name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(
        user=user, organization=organization, accepted_terms_version=1, accepted_terms_at=timezone.now()
    )
    return user


def _component(space, manifest_name, name, weight, seed=True):
    manifest = registry.get(manifest_name)
    if manifest is None:
        return None
    component = Component.objects.create(
        space=space,
        manifest_name=manifest_name,
        name=name,
        weight=weight,
        settings=manifest.default_settings(),
        published_at=timezone.now(),
    )
    hook = manifest.hook(manifest.seed)
    if seed and hook:
        hook(component)
    return component


@transaction.atomic
def load_demo(host: str = "127.0.0.1") -> tuple[Organization, bool]:
    existing = Organization.objects.filter(host=host).first()
    if existing:
        return existing, False

    today = timezone.localdate()
    organization = Organization.objects.create(
        name="Belleville-sur-Loire",
        host=host,
        secondary_hosts=["localhost"] if host != "localhost" else ["127.0.0.1"],
        primary_colour="#1d4f91",
        secondary_colour="#a4262c",
        default_language="fr",
        available_languages=["fr", "en", "es", "de"],
        reference_prefix="BSL",
        contact_email="participation@belleville.example",
        description=tr(
            "<p>Proposez, débattez et décidez ensemble de l'avenir de Belleville-sur-Loire : "
            "budget participatif, consultations et conseils de quartier.</p>",
            "<p>Propose, discuss and decide together the future of Belleville-sur-Loire: "
            "participatory budget, consultations and neighbourhood councils.</p>",
        ),
        profile_fields=["age_bracket", "postal_code"],
    )
    organization.favicon.save("belleville.png", ContentFile(draw_favicon()), save=True)
    TermsVersion.objects.create(organization=organization, version=1, body=CHARTER)

    # Territories and themes.
    city_type = ScopeType.objects.create(
        organization=organization, name=tr("Ville", "City"), plural=tr("Villes", "Cities")
    )
    district_type = ScopeType.objects.create(
        organization=organization, name=tr("Quartier", "District"), plural=tr("Quartiers", "Districts")
    )
    city = Scope.objects.create(
        organization=organization, scope_type=city_type, code="BSL", name=tr("Belleville-sur-Loire")
    )
    districts = [
        Scope.objects.create(organization=organization, scope_type=district_type, parent=city, code=code, name=name)
        for code, name in [
            ("Q-CENTRE", tr("Centre-ville", "Town centre")),
            ("Q-PRES", tr("Les Prés", "Les Prés")),
            ("Q-GARE", tr("Quartier de la Gare", "Station district")),
        ]
    ]
    # The seeds file every idea, project and result under one of these by its
    # French name (agora.demo.tests checks that each name they use exists).
    for weight, (fr, en, children) in enumerate(CATEGORIES):
        parent = Category.objects.create(organization=organization, name=tr(fr, en), weight=weight)
        for child_weight, (child_fr, child_en) in enumerate(children):
            Category.objects.create(
                organization=organization, parent=parent, name=tr(child_fr, child_en), weight=child_weight
            )

    # People.
    admin = _user(
        "admin@belleville.example",
        "mairie",
        "Service démocratie participative",
        ADMIN_PASSWORD,
        organization,
        is_staff=True,
        is_superuser=True,
    )
    Role.objects.create(user=admin, organization=organization, name=Role.Name.ORGANIZATION_ADMIN)

    seed_accessibility_statement(organization, actor=admin)
    # Every person of the demo has a name of their own (staff, participants,
    # council members and the census), so a tester never mistakes one for another.
    agent = _user("agent.budget@belleville.example", "agent-budget", "Nadia Benali", ADMIN_PASSWORD, organization)
    evaluators = [
        _user(
            "julien.mercier@belleville.example", "services-techniques", "Julien Mercier", ADMIN_PASSWORD, organization
        ),
        _user("sophie.laurent@belleville.example", "espaces-verts", "Sophie Laurent", ADMIN_PASSWORD, organization),
    ]
    camille = _user(
        "camille@belleville.example",
        "camille",
        "Camille Martin",
        PARTICIPANT_PASSWORD,
        organization,
        age_bracket="25_34",
        postal_code="45000",
    )
    participants = [
        camille,
        _user(
            "karim@belleville.example",
            "karim",
            "Karim Haddad",
            PARTICIPANT_PASSWORD,
            organization,
            age_bracket="35_49",
            postal_code="45000",
        ),
        _user(
            "lea@belleville.example",
            "lea",
            "Léa Dubois",
            PARTICIPANT_PASSWORD,
            organization,
            age_bracket="16_17",
            postal_code="45100",
        ),
        _user(
            "thomas@belleville.example",
            "thomas",
            "Thomas Girard",
            PARTICIPANT_PASSWORD,
            organization,
            age_bracket="50_64",
            postal_code="45100",
        ),
        _user(
            "fatou@belleville.example",
            "fatou",
            "Fatou Diallo",
            PARTICIPANT_PASSWORD,
            organization,
            age_bracket="18_24",
            postal_code="45000",
        ),
    ]
    # Newsletter consents, given at sign-up or later in "My account" (Léa and Thomas said no).
    for person, days_ago in ((camille, 212), (participants[1], 87), (participants[4], 9), (admin, 400)):
        Membership.objects.filter(user=person, organization=organization).update(
            newsletter_consent_at=timezone.now() - timedelta(days=days_ago, hours=days_ago % 7)
        )

    # The editions of the participatory budget, together in a process group.
    editions = ProcessGroup.objects.create(
        organization=organization,
        title=tr("Budget participatif", "Participatory budget"),
        description=tr(
            "<p>Chaque année depuis 2025, les habitants proposent et choisissent des projets pour leur ville.</p>",
            "<p>Every year since 2025, residents propose and choose projects for their town.</p>",
        ),
    )

    # The participatory budget, its five phases around today.
    budget = Space.objects.create(
        organization=organization,
        kind=Space.Kind.PROCESS,
        slug="budget-participatif-2026",
        group=editions,
        title=tr("Budget participatif 2026", "Participatory budget 2026"),
        subtitle=tr("100 000 € pour vos projets de quartier", "€100,000 for your neighbourhood projects"),
        short_description=tr(
            "Proposez vos idées, la Ville étudie leur faisabilité, puis vous votez pour les projets à réaliser.",
            "Propose your ideas, the town studies their feasibility, then you vote for the projects to build.",
        ),
        description=tr(
            "<p>La Ville consacre <strong>100 000 €</strong> d'investissement à des projets proposés et choisis "
            "par les habitantes et habitants âgés de 16 ans et plus. Chaque personne peut déposer jusqu'à "
            "5 idées et voter pour 3 projets au plus.</p>",
            "<p>The town devotes <strong>€100,000</strong> of investment to projects proposed and chosen by "
            "residents aged 16 and over. Each person may file up to 5 ideas and vote for at most 3 projects.</p>",
        ),
        start_date=today - timedelta(days=20),
        end_date=today + timedelta(days=420),
        scope=city,
        promoted=True,
        published_at=timezone.now(),
    )
    Role.objects.create(user=agent, organization=organization, space=budget, name=Role.Name.SPACE_ADMIN)
    for evaluator in evaluators:
        Role.objects.create(user=evaluator, organization=organization, space=budget, name=Role.Name.EVALUATOR)
    # (French, English, first day, last day relative to today, description fr/en, call to action fr/en)
    phases = [
        (
            "Dépôt des idées",
            "Filing ideas",
            -20,
            40,
            "Déposez vos idées : un titre, une description de 1 500 caractères au plus, une catégorie.",
            "File your ideas: a title, a description of at most 1,500 characters, a category.",
            "Déposer une idée",
            "File an idea",
        ),
        (
            "Étude de faisabilité",
            "Feasibility study",
            41,
            100,
            "Les services de la Ville étudient chaque idée : faisabilité technique, coût, compétence communale.",
            "The town's services study every idea: technical feasibility, cost, municipal powers.",
            "",
            "",
        ),
        (
            "Vote",
            "Vote",
            101,
            131,
            "Votez pour 3 projets au plus parmi les projets retenus.",
            "Vote for at most 3 of the selected projects.",
            "Voter",
            "Vote",
        ),
        (
            "Résultats",
            "Results",
            132,
            145,
            "Les projets lauréats sont annoncés et intégrés au budget de la Ville.",
            "The winning projects are announced and included in the town's budget.",
            "",
            "",
        ),
        (
            "Suivi des réalisations",
            "Follow-up of the works",
            146,
            420,
            "Suivez l'avancement des projets lauréats, étape par étape, avec les photos des travaux.",
            "Follow the winning projects step by step, with photos of the works.",
            "",
            "",
        ),
    ]
    for position, (fr, en, first, last, desc_fr, desc_en, cta_fr, cta_en) in enumerate(phases):
        Phase.objects.create(
            space=budget,
            title=tr(fr, en),
            description=tr(f"<p>{desc_fr}</p>", f"<p>{desc_en}</p>"),
            start_date=today + timedelta(days=first),
            end_date=today + timedelta(days=last),
            cta_text=tr(cta_fr, cta_en) if cta_fr else {},
            position=position,
            is_active=position == 0,
        )
    _component(budget, "pages", tr("Règlement et FAQ", "Rules and FAQ"), 0)
    _component(budget, "news", tr("Actualités", "News"), 1)
    ideas = _component(budget, "proposals", tr("Idées", "Ideas"), 2)
    ballots = _component(budget, "budgets", tr("Vote", "Vote"), 3)
    # Meetings (agora.components.meetings.seeds): five per space, twenty in all, held ones with their
    # minutes, upcoming ones taking registrations, one full with a waiting list, online and hybrid ones.
    _component(budget, "meetings", tr("Réunions", "Meetings"), 4)
    if ideas is not None:
        # Ideas drawn by lot with the sortitions' checkable randomness (agora.components.sortitions.seeds):
        # three drawn from two parties' revealed secrets (a third dropped) and a lottery result, one of them
        # hidden by moderation since (its title leaves the pages, the bundle still checks); a second drawing
        # has its commitments and waits for the reveals.
        drawings = _component(budget, "sortitions", tr("Idées tirées au sort", "Ideas drawn by lot"), 6, seed=False)
        if drawings is not None:
            seed_idea_draw(drawings, ideas, moderator=admin)
    if ballots is not None:  # votes open during the "Vote" phase only
        ballots.phase_settings = {
            str(phase.pk): {"votes_enabled": phase.title["fr"] == "Vote"} for phase in budget.phases.all()
        }
        ballots.save(update_fields=["phase_settings"])

        seed_vote_rule(ballots)
    if ideas is not None:
        # "Déposer une idée" opens the idea form (the login page first for visitors).
        first_phase = budget.phases.order_by("position").first()
        assert first_phase is not None  # the demo budget is made with its phases above
        first_phase.cta_url = reverse("proposals:create", kwargs=ideas.url_kwargs())
        first_phase.save(update_fields=["cta_url"])

        seed_evaluation(ideas, manager=agent, evaluators=evaluators)
        # Ideas given on paper and at a meeting, typed in by the budget officer.
        seed_paper_ideas(ideas, officer=agent)

    # A consultation.
    consultation = Space.objects.create(
        organization=organization,
        kind=Space.Kind.PROCESS,
        slug="consultation-berges-loire",
        title=tr("Consultation : réaménager les berges de la Loire", "Consultation: redesigning the Loire riverbanks"),
        subtitle=tr("Donnez votre avis sur les usages des berges", "Tell us how you use the riverbanks"),
        short_description=tr(
            "Promenade, vélo, jeux, guinguette : quels usages pour les berges réaménagées ?",
            "Walking, cycling, play areas, open-air café: what should the redesigned banks be for?",
        ),
        description=tr(
            "<p>Avant de lancer les travaux, la Ville consulte les habitants sur trois scénarios d'aménagement.</p>",
            "<p>Before the works start, the town consults residents on three design scenarios.</p>",
        ),
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=50),
        scope=districts[0],
        published_at=timezone.now(),
    )
    # The questionnaire closes within the week: the officers' dashboard says so.
    Phase.objects.create(
        space=consultation,
        title=tr("Questionnaire en ligne et ateliers", "Online survey and workshops"),
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=5),
        position=0,
        is_active=True,
    )
    Phase.objects.create(
        space=consultation,
        title=tr("Restitution", "Feedback to residents"),
        start_date=today + timedelta(days=6),
        end_date=today + timedelta(days=50),
        position=1,
    )
    consultation_news = _component(
        consultation, "news", tr("Actualités de la consultation", "Consultation news"), 0, seed=False
    )
    if consultation_news is not None:
        seed_consultation_news(consultation_news)
    _component(consultation, "meetings", tr("Réunions et balades", "Meetings and walks"), 1)

    # The consultation on the cycling plan: a survey of every type of question, answered by 500 people.
    cycling = Space.objects.create(
        organization=organization,
        kind=Space.Kind.PROCESS,
        slug="plan-velo-2027",
        title=tr("Plan vélo 2027", "Cycling plan 2027"),
        subtitle=tr("Comment rendre le vélo plus simple et plus sûr ?", "How can cycling be easier and safer?"),
        short_description=tr(
            "Répondez au questionnaire sur vos déplacements et classez les projets du plan vélo.",
            "Answer the survey on how you get around and rank the projects of the cycling plan.",
        ),
        description=tr(
            "<p>La Ville prépare son plan vélo pour 2027 : pistes, stationnements, itinéraires vers les écoles. "
            "Avant de décider, elle consulte les habitantes et habitants. Les résultats sont publiés au fil de "
            "la consultation.</p>",
            "<p>The town is preparing its cycling plan for 2027: cycle lanes, parking, routes to schools. Before "
            "deciding, it consults residents. The results are published as the consultation goes.</p>",
        ),
        start_date=today - timedelta(days=15),
        end_date=today + timedelta(days=60),
        scope=city,
        published_at=timezone.now(),
    )
    Phase.objects.create(
        space=cycling,
        title=tr("Questionnaire", "Survey"),
        start_date=today - timedelta(days=15),
        end_date=today + timedelta(days=20),
        position=0,
        is_active=True,
    )
    Phase.objects.create(
        space=cycling,
        title=tr("Restitution et décisions", "Feedback and decisions"),
        start_date=today + timedelta(days=21),
        end_date=today + timedelta(days=60),
        position=1,
    )
    Role.objects.create(user=agent, organization=organization, space=cycling, name=Role.Name.SPACE_ADMIN)
    cycling_survey = _component(
        cycling, "surveys", tr("Questionnaire du plan vélo", "Cycling plan survey"), 0, seed=False
    )
    if cycling_survey is not None:
        seed_plan_velo(cycling_survey, participants=participants[1:3])
    # Its debates (agora.components.debates.seeds): one open with arguments on each side, one closed with
    # conclusions, and one a resident opened, since participants may open debates here.
    cycling_debates = _component(cycling, "debates", tr("Débats du plan vélo", "Cycling plan debates"), 1)
    cycling_meetings = _component(cycling, "meetings", tr("Ateliers et réunions", "Workshops and meetings"), 2)
    if cycling_meetings is not None:
        # Residents organize their own workshops here (a bike repair session is one of them).
        cycling_meetings.settings = {**cycling_meetings.settings, "participant_meetings": True}
        cycling_meetings.save(update_fields=["settings"])
    if cycling_debates is not None:
        cycling_debates.settings = {**cycling_debates.settings, "participant_debates": True}
        cycling_debates.save(update_fields=["settings"])
    if cycling_meetings is not None:
        # The next workshops present the survey and the debates: their pages link to them.
        linked = [component for component in (cycling_survey, cycling_debates) if component is not None]
        for meeting in cycling_meetings.meetings.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True):
            meeting.linked_components.set(linked)
    # Its opinion map (agora.components.opinions.seeds): "Quelle place pour la voiture en centre-ville ?",
    # 60 statements and 800 generated participants in three camps, with the groups already computed.
    _component(cycling, "opinions", tr("Carte d'opinions : la voiture en ville", "Opinion map: cars in town"), 2)
    # Its citizens' panel drawn by lot (agora.components.sortitions.seeds): 360 volunteers, quotas on gender,
    # age and district, the LEXIMIN distribution, three parties' commitments and the panel drawn, one replacement.
    # A second pool still open: residents volunteer through the form made from its features.
    # (Its panels only: this space has no ideas to draw, and the manifest's seed would bring some.)
    panel = _component(
        cycling, "sortitions", tr("Panel citoyen tiré au sort", "Citizens' panel drawn by lot"), 3, seed=False
    )
    if panel is not None:
        seed_panels(panel)
        seed_volunteers(panel, participants[:4])

    council = Space.objects.create(
        organization=organization,
        kind=Space.Kind.ASSEMBLY,
        slug="conseil-quartier-les-pres",
        title=tr("Conseil de quartier des Prés", "Les Prés neighbourhood council"),
        subtitle=tr("L'instance de dialogue du quartier des Prés", "Where Les Prés residents and the town talk"),
        short_description=tr(
            "Le conseil de quartier se réunit quatre fois par an et porte les projets des habitants.",
            "The neighbourhood council meets four times a year and carries residents' projects.",
        ),
        purpose=tr(
            "<p>Faire remonter les besoins du quartier, donner un avis sur les projets municipaux et animer la "
            "vie locale.</p>",
            "<p>Bring the district's needs forward, give opinions on municipal projects and run local life.</p>",
        ),
        composition=tr(
            "<p>12 habitants tirés au sort, 4 représentants d'associations et 2 élus.</p>",
            "<p>12 residents drawn by lot, 4 representatives of associations and 2 elected officials.</p>",
        ),
        scope=districts[1],
        published_at=timezone.now(),
    )
    AssemblyMember.objects.create(
        space=council, full_name="Jeanne Moreau", position=AssemblyMember.Position.PRESIDENT, weight=0
    )
    AssemblyMember.objects.create(
        space=council, full_name="Ahmed Chérif", position=AssemblyMember.Position.SECRETARY, weight=1
    )
    AssemblyMember.objects.create(space=council, user=camille, position=AssemblyMember.Position.MEMBER, weight=2)
    _component(council, "news", tr("Comptes rendus", "Minutes"), 0)
    _component(council, "meetings", tr("Séances et réunions", "Sessions and meetings"), 1)

    # The right of interpellation (agora.components.initiatives.seeds), Grenoble-like: 50 / 1,000 / 8,000
    # signatures in a city of 40,000; one initiative collecting, one past its mediation with the report,
    # one lapsed, and a draft gathering its committee. Signers: residents of the census, 16 and over.
    interpellation = Space.objects.create(
        organization=organization,
        kind=Space.Kind.ASSEMBLY,
        slug="interpellation-citoyenne",
        title=tr("Interpellation citoyenne", "Citizens' right of interpellation"),
        subtitle=tr("Saisir la Ville d'une proposition", "Put a proposal to the town"),
        short_description=tr(
            "Les habitants de 16 ans et plus déposent une proposition ; avec assez de signatures, elle ouvre une "
            "médiation, un atelier citoyen ou une votation.",
            "Residents aged 16 and over file a proposal; with enough signatures it opens a mediation, a citizens' "
            "workshop or a citizen vote.",
        ),
        purpose=tr(
            "<p>50 signatures en un mois ouvrent une médiation avec les élus, 1 000 un atelier citoyen tiré au "
            "sort, 8 000 une votation citoyenne.</p>",
            "<p>50 signatures in a month open a mediation with the elected officials, 1,000 a citizens' workshop "
            "drawn by lot, 8,000 a citizen vote.</p>",
        ),
        scope=city,
        published_at=timezone.now(),
    )
    initiatives = _component(interpellation, "initiatives", tr("Initiatives citoyennes", "Citizen initiatives"), 0)
    if initiatives is not None:
        initiatives.settings = {**initiatives.settings, "comments_enabled": True}
        initiatives.save(update_fields=["settings"])
        initiatives_api.require_for_signing(initiatives.pk, methods=["census"], min_age=16)
    # Citizen votes (agora.components.votations.seeds): a consultation open now, and the vote of the
    # initiative that reached its 8,000 signatures, closed, with its results online and on paper.
    _component(interpellation, "votations", tr("Votations citoyennes", "Citizen votes"), 1)

    # The previous edition, now in its follow-up phase: what became of the winners.
    previous = Space.objects.create(
        organization=organization,
        kind=Space.Kind.PROCESS,
        slug="budget-participatif-2025",
        group=editions,
        title=tr("Budget participatif 2025", "Participatory budget 2025"),
        subtitle=tr("Les projets lauréats en cours de réalisation", "The winning projects being built"),
        short_description=tr(
            "Suivez l'avancement des projets choisis par les habitants en 2025.",
            "Follow the progress of the projects residents chose in 2025.",
        ),
        description=tr(
            "<p>En 2025, les habitants ont voté en ligne et sur papier, à la mairie et à la médiathèque, "
            "pour 8 projets. Voici les résultats du vote et ce que sont devenus les projets lauréats.</p>",
            "<p>In 2025, residents voted online and on paper, at the town hall and at the library, "
            "on 8 projects. Here are the results of the vote and what became of the winning projects.</p>",
        ),
        start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=300),
        scope=city,
        published_at=timezone.now(),
    )
    Role.objects.create(user=agent, organization=organization, space=previous, name=Role.Name.SPACE_ADMIN)

    seed_previous_edition(previous, agent=agent, voters=participants, component=_component)

    # Cross-cutting demo data: verification methods and a small census (the comments on
    # the news come with the news' seed, agora.comments.demo.seed_discussion).
    seed_verifications(organization, uploaded_by=admin)
    # The desk: Nadia Benali is a desk agent; Marcel Petit, without e-mail, was registered there.
    seed_desk(organization, admin=admin, agent=agent)
    # Photos of the ideas, an image and a place for every budget project.
    illustrate_ideas(organization)
    illustrate_projects(organization, agent=agent)
    illustrate_spaces(organization, actor=admin)
    illustrate_categories(organization, actor=admin)
    # The town's own font for headings (Open Sans Bold, agora/demo/fonts/), as its administrator uploads it.
    font = SimpleUploadedFile(
        "open-sans-700.woff2", (Path(__file__).parent / "fonts" / "open-sans-700.woff2").read_bytes()
    )
    update_organization(actor=admin, organization=organization, values={"font": font, "font_use": "headings"})
    organization.refresh_from_db()
    illustrate_news(organization, actor=admin)
    illustrate_results(organization)
    illustrate_meetings(organization)
    # Ideas given at a meeting held, ideas linked to the next meeting: each idea's page names it.
    seed_meeting_ideas(organization, actor=admin)
    # The home page, composed from blocks by the administrator.
    compose_home(organization, actor=admin)
    # Two newsletters in the archive and the next one in draft.
    seed_newsletters(organization, actor=admin, budget=budget, consultation=consultation, debates=cycling_debates)
    # What the officers find to do on their dashboard, besides the ideas to answer.
    seed_attention(organization, reporter=participants[1], letter_writer=participants[3])
    # Participation statistics: the demo's own, the reference population, the 2025 edition's
    # participants (aggregates), page views, and the figures shown to the public.
    seed_statistics(organization, edition=previous, admin=admin)
    # Machine translation on: ideas, comments and the rest that officers did not translate read
    # in English marked "[EN] …" (the offline backend; docs/languages.md for DeepL or LibreTranslate).
    Organization.objects.filter(pk=organization.pk).update(machine_translation=True)
    organization.machine_translation = True
    machine_translation.translate_organization(organization, machine_translation.LocalBackend())
    # The planner learns the demo's sizes before the open data reads all of it (PostgreSQL
    # otherwise plans for the empty tables it last analysed: minutes of nested loops).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The open data: the licence the city chose, and the files the worker builds each night.
    opendata.set_licence(actor=admin, organization=organization, licence=Licence.ETALAB)
    opendata.build(organization)
    # Personal data: the consents on record, verification data kept a year after the decision, and a
    # participant's copy of her data, ready to download under My account › My data.
    for membership in Membership.objects.filter(organization=organization, accepted_terms_version__gt=0):
        record_consent(
            membership.user, organization, ConsentRecord.Kind.TERMS, version=membership.accepted_terms_version
        )
        if membership.newsletter_consent_at:
            record_consent(membership.user, organization, ConsentRecord.Kind.NEWSLETTER)
    privacy.save_settings(actor=admin, organization=organization, inactive_days=0, verification_retention_days=365)
    privacy.request_personal_data(actor=participants[0], organization=organization)
    return organization, True
