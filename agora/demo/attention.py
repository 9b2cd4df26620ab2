"""What the demo's officers find to do on their dashboard (agora.core.attention),
besides the ideas of 2026 waiting for an answer and the ideas assigned to the
evaluators: an idea a participant reported as off-topic, a statement of the
opinion map reported as offensive (moderators may hide it: it then leaves the
voting, the map and the exports), a postal letter with a
code to send, and the consultation's questionnaire closing within the week (its
dates, city.py). Made through the services, as participants would."""

from agora.components.models import Component
from agora.components.opinions import services as opinions
from agora.components.proposals.models import Proposal
from agora.moderation.models import Report
from agora.moderation.services import report_content
from agora.verifications.services import request_letter


def seed_attention(organization, *, reporter, letter_writer) -> None:
    idea = (
        Proposal.objects.published()
        .filter(component__space__organization=organization, author__isnull=False)
        .exclude(author=reporter)
        .order_by("pk")
        .first()
    )
    if idea is not None:
        report_content(
            actor=reporter,
            obj=idea,
            reason=Report.Reason.OFF_TOPIC,
            details="Cette demande relève de l'entretien courant de la voirie, pas du budget participatif.",
        )
    opinion_map = Component.objects.filter(space__organization=organization, manifest_name="opinions").first()
    if opinion_map is not None:
        statement = opinions.propose_statement(
            actor=letter_writer,
            component=opinion_map,
            text="Les automobilistes du centre-ville sont tous des égoïstes qu'il faut punir.",
        )
        report_content(
            actor=reporter,
            obj=statement,
            reason=Report.Reason.OFFENSIVE,
            details="Propos insultant envers une partie des habitants.",
        )
    request_letter(
        user=letter_writer,
        organization=organization,
        full_name=letter_writer.name,
        address="12 rue des Tanneurs",
        postal_code="45100",
        city="Belleville-sur-Loire",
    )
