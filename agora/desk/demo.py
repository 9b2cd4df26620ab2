"""Demo data of the desk: the budget officer is a desk agent, and one resident
without e-mail was registered at the town hall's desk (identity checked in
person), so a tester can act for him: vote when the vote opens, print his
receipt, run a verification a rule asks for. Called by agora/demo/city.py."""

from datetime import date

from agora.desk import services
from agora.desk.models import ManagedParticipant


def seed_demo(organization, *, admin, agent):
    services.grant_agent(actor=admin, organization=organization, user=agent)
    if ManagedParticipant.objects.filter(organization=organization).exists():
        return None
    return services.create_managed_participant(
        actor=agent,
        organization=organization,
        public_name="Marcel P.",
        last_name="Petit",
        first_name="Marcel",
        birth_date=date(1947, 2, 8),
        postal_code="45100",
        accepted_terms=True,
    )
