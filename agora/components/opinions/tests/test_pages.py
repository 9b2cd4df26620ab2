from django.urls import reverse

from agora.components.opinions import computing, seeds, services
from agora.components.opinions.models import Result, Statement, Vote
from agora.components.opinions.tests.conftest import close_phase


def url(component, name="index", **kwargs):
    return reverse(f"opinions:{name}", kwargs={**component.url_kwargs(), **kwargs})


def admin_url(component, name="index", **kwargs):
    return reverse(
        f"opinions_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs}
    )


def test_voting_without_javascript_fewest_votes_first(client, component, statements, participant):
    Statement.objects.filter(pk=statements[0].pk).update(vote_count=5)
    client.force_login(participant)
    html = client.get(url(component, "vote")).content.decode()
    assert "Proposition 1" in html and "Proposition 0" not in html
    response = client.post(url(component, "vote"), {"statement": statements[1].pk, "value": "1"})
    assert response.status_code == 302
    html = client.get(url(component, "vote")).content.decode()
    assert "Proposition 2" in html
    # a changed vote, with HTMX: the card comes back alone
    response = client.post(
        url(component, "vote"), {"statement": statements[1].pk, "value": "-1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'id="opinion-card"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    # bad input re-renders, never a 500
    assert client.post(url(component, "vote"), {"statement": "x", "value": "9"}).status_code == 400
    assert client.post(url(component, "vote"), {"statement": 999999, "value": "1"}).status_code == 400


def test_voting_is_refused_to_anonymous_visitors_and_when_closed(client, component, statements, participant):
    response = client.get(url(component, "vote"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    response = client.post(url(component, "vote"), {"statement": statements[0].pk, "value": "1"})
    assert response.status_code == 302 and not Vote.objects.exists()
    close_phase(component, "votes_enabled")
    client.force_login(participant)
    assert client.post(url(component, "vote"), {"statement": statements[0].pk, "value": "1"}).status_code == 403
    assert not Vote.objects.exists()


def test_proposing_a_statement(client, component, conversation, participant):
    client.force_login(participant)
    assert client.post(url(component, "propose"), {"text": "x" * 300}).status_code == 400
    response = client.post(url(component, "propose"), {"text": "Des bancs à l'ombre."})
    assert response.status_code == 302
    assert Statement.objects.get().text == "Des bancs à l'ombre."
    component.settings = {"participant_statements": False}
    component.save()
    assert client.get(url(component, "propose")).status_code == 403
    client.logout()
    assert client.get(url(component, "propose")).status_code in (302, 403)


def test_the_map_and_its_tables(client, component, participant):
    seeds.seed(component, participants=150)
    result = Result.objects.get()
    assert result.data["k"] >= 2
    html = client.get(url(component)).content.decode()
    assert "<svg" in html and "<polygon" in html and "Ce sur quoi tous les groupes sont d" in html
    assert "Groupe A" in html and "Quelle place pour la voiture" in html
    # the visitor's own position
    client.force_login(participant)
    for statement in Statement.objects.all()[:10]:
        services.vote(actor=participant, component=component, statement_id=statement.pk, value=1)
    computing.compute(services.conversation_of(component))
    html = client.get(url(component)).content.decode()
    assert "Le point entouré, c" in html


def test_the_map_is_built_once_per_analysis_and_its_numbers_are_not_localised(client, component, monkeypatch):
    """The French decimal comma is not an SVG number; the map of an analysis is built
    once per process and shown to every visitor (a new analysis, a new map)."""
    import re

    from agora.components.opinions import selectors

    seeds.seed(component, participants=60)
    built = []
    build = selectors._build_map
    monkeypatch.setattr(selectors, "_build_map", lambda *args: built.append(1) or build(*args))
    html = client.get(url(component), headers={"accept-language": "fr"}).content.decode()
    paths = re.findall(r'<path d="([^"]+)"', html)
    assert paths and all("," not in d and "." in d for d in paths)
    client.get(url(component) + "?again=1")
    assert len(built) == 1
    computing.compute(services.conversation_of(component))
    client.get(url(component))
    assert len(built) == 2


def test_the_report_is_for_officers(client, component, participant, org_admin):
    seeds.seed(component, participants=120)
    client.force_login(participant)
    assert client.get(url(component, "report")).status_code == 403
    assert client.get(url(component, "report_pdf")).status_code == 403
    client.force_login(org_admin)
    html = client.get(url(component, "report")).content.decode()
    assert "Propositions qui divisent" in html and "Votes au fil du temps" in html
    response = client.get(url(component, "report_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_back_office(client, component, conversation, participant, org_admin):
    client.force_login(participant)
    assert client.get(admin_url(component)).status_code == 403
    assert client.post(admin_url(component, "add_statement"), {"text": "Non"}).status_code == 403
    assert client.post(admin_url(component, "recompute")).status_code == 403
    assert client.get(admin_url(component, "export", table="comments")).status_code == 403
    client.force_login(org_admin)
    assert client.get(admin_url(component)).status_code == 200
    assert client.post(admin_url(component, "add_statement"), {"text": ""}).status_code == 400
    assert client.post(admin_url(component, "add_statement"), {"text": "Une proposition"}).status_code == 302
    statement = Statement.objects.get()
    response = client.post(admin_url(component, "moderate", statement_id=statement.pk), {"decision": "reject"})
    assert response.status_code == 302
    assert Statement.objects.get().state == Statement.State.REJECTED
    response = client.post(admin_url(component), {"question_fr": "", "question_en": "Q"})
    assert response.status_code == 400
    assert client.post(admin_url(component), {"question_fr": "Nouvelle question ?"}).status_code == 302
    assert client.get(admin_url(component, "export", table="participants-votes")).status_code == 200
    assert client.get(admin_url(component, "export", table="nope")).status_code == 404
    assert client.post(admin_url(component, "import"), {}).status_code == 400


def test_importing_a_polis_conversation(client, component, org_admin, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agora.components.opinions.tests.test_polis_reference import DATA

    folder = DATA / "brexit-consensus"
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url(component, "import"),
            {
                "comments": SimpleUploadedFile("comments.csv", (folder / "comments.csv").read_bytes()),
                "votes": SimpleUploadedFile("participants-votes.csv", (folder / "participants-votes.csv").read_bytes()),
            },
        )
    assert response.status_code == 302
    result = Result.objects.get()
    assert result.data["k"] == 2 and result.participants == 204
    exported = client.get(admin_url(component, "export", table="participants-votes")).content.decode()
    assert exported.count("\n") == 205
