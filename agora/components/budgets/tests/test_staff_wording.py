"""An officer typing in a paper ballot reads about "this ballot", never "your
ballot" ("Votre bulletin"): the ballot's partials are shared with the voter's page."""

from agora.components.budgets.tests.test_pages import admin_url


def test_the_paper_ballot_screen_does_not_speak_to_the_officer_as_a_voter(
    client, space_admin, component, budget, projects
):
    client.force_login(space_admin)
    client.cookies["agora_language"] = "fr"
    url = admin_url(component, "paper", budget_id=budget.pk)
    html = client.post(url, {"reference": "Bureau 3", "project": [p.pk for p in projects[:4]]}).content.decode()
    assert "Ce bulletin ne peut pas encore être accepté" in html  # 4 projects chosen, 3 at most
    assert "Votre bulletin" not in html and "votre choix" not in html
    client.cookies["agora_language"] = "en"
    html = client.post(url, {"reference": "Bureau 3", "project": [p.pk for p in projects[:4]]}).content.decode()
    assert "This ballot cannot be accepted yet" in html and "Your ballot" not in html
