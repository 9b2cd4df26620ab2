"""The demo city's accessibility statement: "partiellement conforme", from a
self-assessment helped by the project's own axe-core crawl, as a town with
no external audit yet would honestly publish."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from agora.core.models import AccessibilityStatus
from agora.core.services import save_accessibility_statement
from agora.core.translations import tr


def seed_accessibility_statement(organization, *, actor):
    today = timezone.localdate()
    return save_accessibility_statement(
        actor=actor,
        organization=organization,
        status=AccessibilityStatus.PARTIALLY_COMPLIANT,
        values={
            "standard": "RGAA 4.1.2",
            "audit_date": today - timedelta(days=45),
            "audited_by": "Service numérique de la Ville (auto-évaluation, avec le parcours automatique axe-core d'Agora)",
            "conformance_rate": Decimal("78"),
            "established_on": today - timedelta(days=30),
            "audit_method": tr(
                "Échantillon : accueil, liste et page d'une idée, dépôt d'une idée, vote, résultats, suivi des "
                "réalisations, inscription, compte, déclaration d'accessibilité.\n"
                "Technologies : HTML5, CSS, SVG, JavaScript (HTMX, Leaflet).\n"
                "Environnement de test : Firefox et NVDA sous Windows, Safari et VoiceOver sous iOS, Chromium à "
                "1280 et 390 pixels de large.\n"
                "Outils : axe-core (toutes les pages, en français et en anglais), analyseur de contraste, "
                "validateur HTML.",
                "Sample: home page, list and page of an idea, filing an idea, vote, results, follow-up, sign-up, "
                "account, accessibility statement.\n"
                "Technologies: HTML5, CSS, SVG, JavaScript (HTMX, Leaflet).\n"
                "Test environment: Firefox and NVDA on Windows, Safari and VoiceOver on iOS, Chromium at 1280 and "
                "390 pixels wide.\n"
                "Tools: axe-core (every page, in French and in English), contrast analyser, HTML validator.",
            ),
            "non_conformities": tr(
                "Carte des idées : les marqueurs ne sont pas tous atteignables au clavier ; la liste des idées sous "
                "la carte donne les mêmes informations (critère 7.3).\n"
                "Pièces jointes PDF des idées et des projets : certaines ne sont pas balisées (critère 13.3).\n"
                "Photos des réalisations : certaines alternatives textuelles écrites par les contributeurs ne "
                "décrivent pas l'image (critère 1.3).\n"
                "Vidéos des réunions publiques : pas de sous-titres pour les plus anciennes (critère 4.3).",
                "Map of ideas: not every marker can be reached with the keyboard; the list of ideas below the map "
                "gives the same information (criterion 7.3).\n"
                "PDF attachments of ideas and projects: some are not tagged (criterion 13.3).\n"
                "Photos of the works: some text alternatives written by contributors do not describe the image "
                "(criterion 1.3).\n"
                "Videos of public meetings: the oldest have no captions (criterion 4.3).",
            ),
            "derogations": tr(
                "Plans d'aménagement des berges (PDF grand format) : une description textuelle est envoyée sur "
                "demande.",
                "Design plans of the riverbanks (large PDF): a text description is sent on request.",
            ),
            "exempt_content": tr(
                "Fonds de carte d'OpenStreetMap (contenu de tiers).\n"
                "Documents bureautiques publiés avant le 23 septembre 2018.",
                "OpenStreetMap base maps (third-party content).\nOffice documents published before 23 September 2018.",
            ),
            "contact": tr(
                "Courrier : Mairie de Belleville-sur-Loire, service démocratie participative, 1 place de la Mairie, "
                "45000 Belleville-sur-Loire\n"
                "Téléphone : 02 38 00 00 00, du lundi au vendredi de 9 h à 17 h",
                "Post: Mairie de Belleville-sur-Loire, service démocratie participative, 1 place de la Mairie, "
                "45000 Belleville-sur-Loire\n"
                "Telephone: +33 2 38 00 00 00, Monday to Friday, 9 am to 5 pm",
            ),
            "plan_url": "",
        },
    )
