"""A summary before the final vote (issue 14 walk-through, item 3): the
choices, their total, "confirm" or "change", rendered by the server (no
JavaScript needed), for the "confirm" validation only; the second-tab 409,
the rule checks, the changeable mode and the desk stay as they were."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from agora.components.budgets import services
from agora.components.budgets.models import Ballot, Budget


def post(client, budget, data):
    return client.post(budget.get_absolute_url(), data)


def test_vote_shows_the_summary_then_confirm_records(client, participant, budget, projects):
    client.force_login(participant)
    form = client.get(budget.get_absolute_url()).content.decode()
    assert "Vérifier mon vote" in form
    response = post(client, budget, {"project": [projects[0].pk, projects[2].pk], "vote": "1"})
    assert response.status_code == 200 and not Ballot.objects.exists()
    html = response.content.decode()
    assert "pas encore enregistré" in html
    table = html[html.index('class="budget-summary-table"') : html.index("</table>")]
    assert str(projects[0]) in table and str(projects[2]) in table and str(projects[1]) not in table
    total = re.sub(r"[\s\u202f\xa0]", "", table[table.index("<tfoot>") :])
    assert "70000€" in total  # 50,000 + 20,000
    # The choices travel in hidden fields; two buttons, confirm first.
    assert sorted(re.findall(r'<input type="hidden" name="project" value="(\d+)">', html)) == sorted(
        [str(projects[0].pk), str(projects[2].pk)]
    )
    assert html.index('name="confirm"') < html.index('name="change"')
    response = post(client, budget, {"project": [projects[0].pk, projects[2].pk], "confirm": "1"})
    assert response.status_code == 302
    ballot = Ballot.objects.get(voter=participant)
    assert set(ballot.choices.values_list("project_id", flat=True)) == {projects[0].pk, projects[2].pk}


def test_change_goes_back_to_the_ballot_with_the_choices(client, participant, budget, projects):
    client.force_login(participant)
    response = post(client, budget, {"project": [projects[1].pk], "change": "1"})
    assert response.status_code == 200 and not Ballot.objects.exists()
    html = response.content.decode()
    assert re.search(rf'id="project-{projects[1].pk}"[^>]*checked', html)
    assert not re.search(rf'id="project-{projects[0].pk}"[^>]*checked', html)


def test_a_ballot_breaking_the_rule_never_reaches_the_summary(client, participant, budget, projects):
    client.force_login(participant)
    response = post(client, budget, {"project": [p.pk for p in projects[:4]], "vote": "1"})  # 4 > 3 projects
    assert response.status_code == 400 and "budget-summary-table" not in response.content.decode()
    # Hidden fields changed by hand are checked again when confirming.
    response = post(client, budget, {"project": [p.pk for p in projects[:4]], "confirm": "1"})
    assert response.status_code == 400 and not Ballot.objects.exists()


@pytest.mark.parametrize(
    "rule, data, shown",
    [
        ("points", lambda p: {f"points_{p[0].pk}": "60", f"points_{p[1].pk}": "40"}, ["60", "40", "100sur100points"]),
        ("ranking", lambda p: {f"rank_{p[2].pk}": "1", f"rank_{p[0].pk}": "2"}, []),
    ],
)
def test_points_and_ranks_are_in_the_summary_and_kept(client, participant, budget, projects, rule, data, shown):
    Budget.objects.filter(pk=budget.pk).update(
        rule=rule, points_total=100, points_min=10, points_max=70, rank_k=3, max_projects=None
    )
    client.force_login(participant)
    html = post(client, budget, {**data(projects), "vote": "1"}).content.decode()
    table = re.sub(r"[\s\u202f\xa0]", "", html[html.index('class="budget-summary-table"') : html.index("</table>")])
    for text in shown:
        assert text in table
    if rule == "ranking":  # in rank order
        assert table.index(str(projects[2]).replace(" ", "")) < table.index(str(projects[0]).replace(" ", ""))
    hidden = dict(re.findall(r'<input type="hidden" name="((?:points|rank)_\d+)" value="(\d+)">', html))
    assert hidden == {key: value for key, value in data(projects).items()}
    assert post(client, budget, {**hidden, "confirm": "1"}).status_code == 302
    assert Ballot.objects.get(voter=participant).choices.count() == 2


def test_a_ballot_stored_meanwhile_gets_the_409_page(client, participant, budget, projects):
    """The summary open in one tab, a vote confirmed in another: confirming shows the stored ballot."""
    client.force_login(participant)
    assert post(client, budget, {"project": [projects[0].pk], "vote": "1"}).status_code == 200
    services.cast_ballot(actor=participant, budget=budget, choices={projects[1].pk: 1})
    response = post(client, budget, {"project": [projects[0].pk], "confirm": "1"})
    assert response.status_code == 409 and 'id="ballot-not-recorded"' in response.content.decode()
    ballot = Ballot.objects.get(voter=participant)
    assert list(ballot.choices.values_list("project_id", flat=True)) == [projects[1].pk]


def test_a_changeable_ballot_is_saved_at_once(client, participant, component, budget, projects):
    component.settings = {"validation": "auto"}
    component.save()
    client.force_login(participant)
    assert post(client, budget, {"project": [projects[0].pk], "vote": "1"}).status_code == 302
    assert Ballot.objects.filter(voter=participant).exists()


def test_the_summary_is_refused_to_people_who_may_not_vote(client, participant, budget, projects):
    response = post(client, budget, {"project": [projects[0].pk], "vote": "1"})
    assert response.status_code == 302  # anonymous: log in, then back to the ballot
    assert response["Location"] == f"{reverse('account_login')}?next={quote(budget.get_absolute_url())}"
    from agora.components.budgets.tests.conftest import close_votes

    close_votes(budget.component)
    client.force_login(participant)
    for data in ({"project": [projects[0].pk], "vote": "1"}, {"project": [projects[0].pk], "change": "1"}):
        assert post(client, budget, data).status_code == 403
    assert not Ballot.objects.exists()
