"""The demo town's pictures and places: residents' photos on some ideas, an
image for every budget project (2026 and 2025), a banner for every space,
an image for two categories (shown on the cards without a picture),
images on some news posts, a photo on the first milestone of the follow-up's
results, each with its description,
and every project placed at its address, found by the local geocoder in the
town's gazetteer (agora/core/gazetteer/belleville-sur-loire.json). The
pictures are drawn by agora.demo.pictures when the demo loads."""

from django.core.files.uploadedfile import SimpleUploadedFile

from agora.components.accountability import services as follow_up
from agora.components.accountability.models import Result
from agora.components.budgets import services as budgets
from agora.components.budgets.models import Project
from agora.components.meetings import services as meetings
from agora.components.meetings.models import Meeting
from agora.components.news import services as news
from agora.components.news.models import Post
from agora.components.proposals.models import Attachment, Proposal
from agora.core import geocoding, images
from agora.core.translations import tr
from agora.demo.pictures import draw_scene
from agora.spaces import services as spaces
from agora.spaces.models import Space
from agora.taxonomy import services as taxonomy
from agora.taxonomy.models import Category

# Idea title: [(scene, description)] (the ideas' own language: French).
IDEA_PICTURES = {
    "Des arceaux vélos devant la médiathèque": [
        ("bikes", "Le parvis de la médiathèque : six vélos attachés à des arceaux provisoires devant les façades"),
        ("book_box", "La boîte à livres du parvis, sans aucun arceau autour"),
    ],
    "Une piste cyclable sécurisée vers la gare": [
        ("cycle_lane", "L'avenue de la Gare avec, à droite, une piste cyclable verte séparée de la chaussée"),
    ],
    "Un city-stade au quartier des Prés": [
        ("pitch", "Un terrain multisport bleu clôturé, avec deux buts, au pied des immeubles des Prés"),
    ],
    "Des agrès de sport en plein air le long de la Loire": [
        ("riverside_gym", "Trois barres de traction orange sur la promenade, au bord de la Loire"),
    ],
    "Des concerts gratuits l'été dans le parc": [
        ("stage", "Une scène éclairée dans le parc à la tombée du jour, devant une foule debout"),
    ],
    "Planter un verger partagé": [
        ("orchard", "Trois rangées de pommiers et de pruniers chargés de fruits sur une pelouse"),
    ],
    "Végétaliser la cour de l'école Jean-Zay": [
        ("schoolyard", "La cour de l'école avec trois jeunes arbres plantés dans des copeaux de bois"),
    ],
    "Des bancs sur le chemin du marché": [
        ("benches", "Une rue pavée bordée d'arbres avec trois bancs en bois"),
    ],
    "Une aire de jeux pour les tout-petits": [
        ("playground", "Un petit toboggan jaune et rouge et deux balançoires sur un sol souple bleu"),
    ],
    "Un passage piéton surélevé devant le collège": [
        ("crossing", "Un plateau surélevé en briques rouges avec un passage piéton blanc, devant le collège"),
    ],
    "Un parking à vélos sécurisé à la gare": [
        ("shelter", "Un abri à vélos couvert et vitré devant la gare, avec six vélos rangés"),
    ],
}

# Project title (French): (scene, description fr, description en, address for the geocoder)
PROJECTS = {
    # The 2026 budget (agora.components.budgets.seeds)
    "Des arbres fruitiers au square Moulin": (
        "orchard",
        "Des arbres fruitiers en fleurs et en fruits sur la pelouse du square",
        "Fruit trees in blossom and fruit on the square's lawn",
        "Square Moulin",
    ),
    "Un city-stade rue des Lilas": (
        "pitch",
        "Un terrain multisport clôturé avec deux buts",
        "A fenced multi-sport pitch with two goals",
        "12 rue des Lilas",
    ),
    "Une boîte à livres par quartier": (
        "book_box",
        "Une boîte à livres en bois, au toit vert, remplie de livres colorés",
        "A wooden book box with a green roof, full of colourful books",
        "Médiathèque",
    ),
    "Des abris vélos sécurisés à la gare": (
        "shelter",
        "Un abri couvert et vitré où sont rangés six vélos",
        "A covered glass shelter with six bikes",
        "Gare",
    ),
    "Des toilettes publiques accessibles au parc": (
        "toilets",
        "Un petit bâtiment de toilettes avec le pictogramme d'accessibilité, entre deux arbres",
        "A small toilet building with the accessibility sign, between two trees",
        "Parc municipal",
    ),
    "Un festival de musique de quartier": (
        "stage",
        "Une scène éclairée à la tombée du jour devant le public",
        "A lit stage at dusk before the crowd",
        "Parc des Tilleuls",
    ),
    "Des composteurs collectifs": (
        "compost",
        "Trois composteurs en bois alignés sur une pelouse",
        "Three wooden compost bins on a lawn",
        "Jardins familiaux",
    ),
    "Éclairer le chemin du collège": (
        "riverside_lights",
        "Un chemin piéton au crépuscule éclairé par des lampadaires bas",
        "A footpath at dusk lit by low lamp posts",
        "20 rue Victor-Hugo",
    ),
    # The 2025 edition (agora.demo.edition_2025)
    "Un jardin partagé au parc des Tilleuls": (
        "garden",
        "Des parcelles potagères en bois alignées dans le parc",
        "Wooden vegetable plots in rows in the park",
        "Parc des Tilleuls",
    ),
    "Des bancs et de l'ombre place de la Mairie": (
        "benches",
        "Une place pavée avec trois bancs à l'ombre des arbres",
        "A paved square with three benches in the shade of trees",
        "Place de la Mairie",
    ),
    "Une piste cyclable jusqu'au collège": (
        "cycle_lane",
        "Une piste cyclable verte séparée de la route, le long des façades",
        "A green cycle lane separated from the road, along the façades",
        "60 rue Jean-Jaurès",
    ),
    "Une boîte à livres dans chaque quartier": (
        "book_box",
        "Une boîte à livres en bois remplie de livres",
        "A wooden book box full of books",
        "Médiathèque",
    ),
    "Un terrain de basket rénové": (
        "basketball",
        "Un terrain de basket rouge avec deux paniers neufs",
        "A red basketball court with two new hoops",
        "Stade municipal",
    ),
    "Un skatepark près de la gare": (
        "skatepark",
        "Des rampes de béton et un jeune en planche à roulettes",
        "Concrete ramps and a young skateboarder",
        "40 avenue de la Gare",
    ),
    "Une fresque sur le mur du gymnase": (
        "mural",
        "Un mur couvert de cercles et de triangles de couleurs vives",
        "A wall covered in brightly coloured circles and triangles",
        "Gymnase municipal",
    ),
    "Des toilettes publiques au marché": (
        "toilets",
        "Un petit bâtiment de toilettes accessibles près de la halle",
        "A small accessible toilet building near the market hall",
        "Halle du marché",
    ),
}


# Space slug: (scene, description fr, description en), the banner of each space of the demo town.
SPACES = {
    "budget-participatif-2026": (
        "orchard",
        "Des arbres fruitiers en fleurs sur une pelouse du square Moulin",
        "Fruit trees in blossom on a lawn of Moulin square",
    ),
    "consultation-berges-loire": (
        "riverside_lights",
        "La promenade des berges de la Loire au crépuscule, éclairée par des lampadaires bas",
        "The Loire riverside walk at dusk, lit by low lamp posts",
    ),
    "plan-velo-2027": (
        "cycle_lane",
        "Une piste cyclable verte séparée de la chaussée, le long des façades",
        "A green cycle lane separated from the road, along the façades",
    ),
    "conseil-quartier-les-pres": (
        "playground",
        "L'aire de jeux du quartier des Prés : un toboggan et deux balançoires",
        "The playground of Les Prés: a slide and two swings",
    ),
    "budget-participatif-2025": (
        "skatepark",
        "Le skatepark près de la gare, construit avec le budget 2025",
        "The skatepark near the station, built with the 2025 budget",
    ),
}

# News post title (French): (scene, description fr, description en).
NEWS = {
    "Réunion publique d'information mardi à 18 h 30": (
        "stage",
        "Une scène éclairée à la tombée du jour devant les habitants réunis",
        "A lit stage at dusk before the gathered residents",
    ),
    "Des permanences pour vous accompagner": (
        "benches",
        "La place de la Mairie et ses bancs à l'ombre, où se tiennent les permanences",
        "Town hall square and its shaded benches, where the drop-in sessions are held",
    ),
    "Compte rendu : sécurité aux abords des écoles": (
        "crossing",
        "Un plateau surélevé en briques rouges avec un passage piéton, devant le collège",
        "A raised red-brick crossing with a zebra crossing, in front of the school",
    ),
}


# Category (French name): (scene, description in French, in English). The
# other categories keep their built-in illustration.
CATEGORIES = {
    "Biodiversité": (
        "garden",
        "Des carrés potagers et des arbres fruitiers sur une pelouse",
        "Vegetable plots and fruit trees on a lawn",
    ),
    "Culture": (
        "mural",
        "Une fresque colorée peinte sur le mur d'un immeuble",
        "A colourful mural painted on the wall of a building",
    ),
}


def _upload(scene: str, seed: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{scene}.jpg", draw_scene(scene, seed), content_type="image/jpeg")


def illustrate_ideas(organization) -> int:
    """Residents' photos on the ideas that name them: stored as an idea's
    picture is (upright, without metadata, private, with its copies)."""
    added = 0
    ideas = Proposal.objects.filter(component__space__organization=organization, title__in=IDEA_PICTURES)
    for idea in ideas:
        for weight, (scene, description) in enumerate(IDEA_PICTURES[idea.title]):
            upload = _upload(scene, f"idea-{idea.pk}-{weight}")
            stored = images.clean_image(upload)
            picture = Attachment.objects.create(
                proposal=idea,
                file=stored,
                title=f"photo-{weight + 1}.jpg",
                kind=Attachment.Kind.IMAGE,
                content_type="image/jpeg",
                size=stored.size,
                weight=weight,
                alt_text=description,
            )
            picture.variants = images.make_variants(picture.file.storage, picture.file.name)
            picture.save(update_fields=["variants"])
            added += 1
    return added


def illustrate_projects(organization, *, agent) -> int:
    """Every project an image with its description and a place, through the
    budgets service as an officer would (the address found by the geocoder)."""
    done = 0
    for project in Project.objects.filter(component__space__organization=organization).select_related("budget"):
        plan = PROJECTS.get(project.title.get("fr"))
        if plan is None:
            continue
        scene, alt_fr, alt_en, address = plan
        place, _message = geocoding.locate(address, organization)
        project.address = place.label if place is not None else address
        if place is not None:
            project.latitude, project.longitude = place.latitude, place.longitude
        project.image_alt = tr(alt_fr, alt_en)
        budgets.save_project(actor=agent, project=project, image=_upload(scene, f"project-{project.pk}"))
        done += 1
    return done


def illustrate_categories(organization, *, actor) -> int:
    """An image for some categories, through the taxonomy's service as an
    administrator would: the cards of their ideas, projects and results
    without a picture show it instead of the built-in illustration."""
    done = 0
    for category in Category.objects.filter(organization=organization):
        plan = CATEGORIES.get(category.name.get("fr"))
        if plan is None:
            continue
        scene, alt_fr, alt_en = plan
        taxonomy.update_category(
            actor=actor,
            category=category,
            name=category.name,
            description=category.description,
            parent=category.parent,
            colour=category.colour,
            weight=category.weight,
            image=_upload(scene, f"category-{category.pk}"),
            image_alt=tr(alt_fr, alt_en),
        )
        done += 1
    return done


def illustrate_spaces(organization, *, actor) -> int:
    """A banner for every space of the demo town, through the spaces' service
    as an administrator would (stored upright, with its WebP copies)."""
    done = 0
    for space in Space.objects.filter(organization=organization, slug__in=SPACES):
        scene, alt_fr, alt_en = SPACES[space.slug]
        spaces.update_space(
            actor=actor,
            space=space,
            values={"hero_image": _upload(scene, f"space-{space.pk}"), "hero_image_alt": tr(alt_fr, alt_en)},
        )
        done += 1
    return done


def illustrate_news(organization, *, actor) -> int:
    """An image with its description on the demo town's news posts that
    name one, through the news' service (stored upright, with its copies)."""
    done = 0
    posts = Post.objects.filter(component__space__organization=organization).select_related("component")
    for post in posts:
        plan = NEWS.get(post.title.get("fr"))
        if plan is None:
            continue
        scene, alt_fr, alt_en = plan
        news.update_post(
            actor=actor,
            post=post,
            title=post.title,
            body=post.body,
            official=post.official,
            image_alt=tr(alt_fr, alt_en),
            published_at=post.published_at,
            image=_upload(scene, f"news-{post.pk}"),
        )
        done += 1
    return done


def illustrate_results(organization) -> int:
    """A photo on the first milestone of each follow-up result that comes
    from an illustrated budget project (the result's card shows it)."""
    done = 0
    for result in Result.objects.filter(component__space__organization=organization, parent=None):
        plan = PROJECTS.get(result.title.get("fr"))
        milestone = result.milestones.order_by("date", "id").first()
        if plan is None or milestone is None:
            continue
        scene, alt_fr, alt_en, _address = plan
        follow_up.insert_photo(milestone=milestone, image=_upload(scene, f"result-{result.pk}"), alt=tr(alt_fr, alt_en))
        done += 1
    return done


# The photos of the meetings held, by a word of their French title: (scene, description fr, en).
MEETING_PHOTOS = {
    "lancement": (
        "stage",
        "La salle du conseil pendant la présentation, le public assis face à l'écran",
        "The council room during the presentation, the audience seated facing the screen",
    ),
    "médiathèque": (
        "book_box",
        "Le parvis de la médiathèque avant l'atelier",
        "The square in front of the media library before the workshop",
    ),
    "Balade": (
        "riverside_gym",
        "Le groupe de la balade sur la promenade, au bord de la Loire",
        "The walking group on the promenade, along the Loire",
    ),
    "Café-débat": (
        "benches",
        "Des habitants assis sur les bancs de la halle pendant le café-débat",
        "Residents seated on the market hall's benches during the café debate",
    ),
    "comptages": (
        "cycle_lane",
        "La piste cyclable de l'avenue de la Gare, où sont installés les compteurs",
        "The cycle lane of avenue de la Gare, where the counters are installed",
    ),
    "rentrée": (
        "schoolyard",
        "Le préau de l'école des Prés installé pour la séance",
        "Les Prés school's covered playground set up for the session",
    ),
    "Marche exploratoire": (
        "crossing",
        "Le passage piéton mal éclairé repéré pendant la marche",
        "The badly lit pedestrian crossing spotted during the walk",
    ),
    "commerçants": (
        "shelter",
        "L'abri du quai où les commerçants se sont retrouvés",
        "The shelter on the quay where the shopkeepers met",
    ),
}


def illustrate_meetings(organization) -> int:
    """A photo of each meeting held (shown with its minutes)."""
    done = 0
    for meeting in Meeting.objects.filter(component__space__organization=organization, closed_at__isnull=False):
        title = meeting.title.get("fr", "")
        plan = next((plan for word, plan in MEETING_PHOTOS.items() if word in title), None)
        if plan is None:
            continue
        scene, alt_fr, alt_en = plan
        meetings.insert_photo(meeting=meeting, image=_upload(scene, f"meeting-{meeting.pk}"), alt=tr(alt_fr, alt_en))
        done += 1
    return done
