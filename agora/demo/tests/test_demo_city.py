from django.core.management import call_command

from agora.core.models import Organization
from agora.demo.city import load_demo
from agora.spaces.models import Space


def test_demo_city_loads_once_with_the_budget_and_its_five_phases(db):
    organization, created = load_demo(host="demo.example.org")
    assert created
    budget = Space.objects.get(organization=organization, slug="budget-participatif-2026")
    assert [p.title["fr"] for p in budget.phases.all()] == [
        "Dépôt des idées", "Étude de faisabilité", "Vote", "Résultats", "Suivi des réalisations",
    ]
    assert budget.phases.filter(is_active=True).count() == 1
    assert "100 000 €" in budget.description["fr"]
    assert Space.objects.filter(organization=organization, kind=Space.Kind.ASSEMBLY).exists()
    assert organization.scopes.filter(scope_type__name__fr="Quartier").count() == 3
    assert {c.name["fr"] for c in organization.categories.filter(parent=None)} == {
        "Sport", "Culture", "Loisirs", "Écologie", "Stationnement et sécurité",
    }
    again, created_again = load_demo(host="demo.example.org")
    assert again == organization and not created_again
    assert Organization.objects.count() == 1


def test_demo_home_page_in_french_and_english(client, db):
    call_command("load_demo", host="testserver")
    html = client.get("/").content.decode()
    assert "Budget participatif 2026" in html and "Dépôt des idées" in html
    client.cookies["agora_language"] = "en"
    html = client.get("/").content.decode()
    assert "Participatory budget 2026" in html and "Filing ideas" in html
    process = client.get("/processes/budget-participatif-2026/").content.decode()
    assert "Feasibility study" in process


def test_every_demo_component_has_content_and_its_page_opens(client, db):
    from agora.comments.models import Comment
    from agora.components.models import Component
    from agora.components.proposals.models import Proposal

    call_command("load_demo", host="testserver")
    components = list(Component.objects.select_related("space"))
    assert {"pages", "news", "proposals", "budgets", "accountability"} <= {c.manifest_name for c in components}
    for component in components:
        response = client.get(component.get_absolute_url())
        assert response.status_code == 200, (component.manifest_name, response.status_code)
    idea = Proposal.objects.published().first()
    assert idea is not None and client.get(idea.get_absolute_url()).status_code == 200
    assert Comment.objects.exists()
