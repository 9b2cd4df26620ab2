"""Loading the demo into an empty database, twice (the demo's other tests share
one demo per module: test_demo_city.py)."""

from agora.core.models import Organization
from agora.demo.city import load_demo
from agora.spaces.models import Space


def test_demo_city_loads_once_with_the_budget_and_its_five_phases(db):
    organization, created = load_demo(host="demo.example.org")
    assert created
    budget = Space.objects.get(organization=organization, slug="budget-participatif-2026")
    assert [p.title["fr"] for p in budget.phases.all()] == [
        "Dépôt des idées",
        "Étude de faisabilité",
        "Vote",
        "Résultats",
        "Suivi des réalisations",
    ]
    assert budget.phases.filter(is_active=True).count() == 1
    assert "100 000 €" in budget.description["fr"]
    assert Space.objects.filter(organization=organization, kind=Space.Kind.ASSEMBLY).exists()
    assert organization.scopes.filter(scope_type__name__fr="Quartier").count() == 3
    assert {c.name["fr"] for c in organization.categories.filter(parent=None)} == {
        "Sport",
        "Culture",
        "Loisirs",
        "Écologie",
        "Voirie et sécurité",
        "Cadre de vie",
    }
    again, created_again = load_demo(host="demo.example.org")
    assert again == organization and not created_again
    assert Organization.objects.count() == 1
