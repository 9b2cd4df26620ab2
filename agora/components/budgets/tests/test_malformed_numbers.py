"""Malformed numbers on the ballot page and in imported files: a message, never a 500."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agora.components.budgets import services
from agora.components.budgets.models import Ballot, Budget, PaperCount
from agora.components.budgets.tests.test_admin import admin_url, csv_file


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "9" * 5000, "-1"])
def test_a_project_that_is_not_a_number_is_refused_with_a_message(client, participant, budget, projects, value):
    client.force_login(participant)
    response = client.post(budget.get_absolute_url(), {"project": [value], "vote": "1"})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "This project is not in this budget." in html or "Ce projet n'est pas dans ce budget." in html
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("value", ["²", "9" * 40])
def test_points_that_are_not_a_whole_number_are_refused_with_a_message(client, participant, budget, projects, value):
    budget.rule = Budget.Rule.POINTS
    budget.save()
    client.force_login(participant)
    response = client.post(budget.get_absolute_url(), {f"points_{projects[0].pk}": value, "vote": "1"})
    assert response.status_code == 400
    assert not Ballot.objects.exists()


PB_HEAD = "META\nkey;value\ndescription;Huge\nnum_projects;1\nnum_votes;1\nvote_type;approval\n"


@pytest.mark.parametrize(
    "meta, cost",
    [
        ("budget;1e400\n", "100"),
        ("budget;" + "9" * 30 + "\n", "100"),
        ("budget;1000\n", "9" * 30),
        ("budget;1000\n", "1e400"),
    ],
)
def test_a_pabulib_file_with_huge_numbers_is_refused_with_a_message(client, space_admin, component, meta, cost):
    text = PB_HEAD + meta + "PROJECTS\nproject_id;cost;name\n1;" + cost + ";Trees\nVOTES\nvoter_id;vote\n1;1\n"
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "pabulib_import"), {"file": SimpleUploadedFile("huge.pb", text.encode())}
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "is not a whole number" in html or "n’est pas un nombre entier" in html
    assert not Budget.objects.filter(title__fr="Huge").exists()


def test_pabulib_points_too_large_are_refused(client, space_admin, component):
    text = (
        PB_HEAD.replace("approval", "cumulative") + "budget;1000\nmax_sum_points;10\n"
        "PROJECTS\nproject_id;cost;name\n1;100;Trees\nVOTES\nvoter_id;vote;points\n1;1;" + "9" * 25 + "\n"
    )
    client.force_login(space_admin)
    response = client.post(
        admin_url(component, "pabulib_import"), {"file": SimpleUploadedFile("huge.pb", text.encode())}
    )
    assert response.status_code == 200
    assert not Budget.objects.filter(title__fr="Huge").exists()


@pytest.mark.parametrize("votes", ["²", "9" * 30])
def test_paper_counts_that_are_not_whole_numbers_are_refused_with_the_line(space_admin, budget, projects, votes):
    with pytest.raises(services.ImportFailed) as failed:
        services.import_paper_counts(
            actor=space_admin,
            budget=budget,
            upload=csv_file(f"station;project;votes\nBureau 1;{projects[0].pk};{votes}\n"),
        )
    assert "Line 2" in failed.value.errors[0] or "Ligne 2" in failed.value.errors[0]
    assert not PaperCount.objects.exists()


def test_paper_counts_name_a_short_line_and_skip_blank_ones(space_admin, budget, projects):
    good = f"\ufeffstation;project;votes;comment\nBureau 1;{projects[0].pk};4;ok\n;;;\n\n"
    with pytest.raises(services.ImportFailed) as failed:
        services.import_paper_counts(
            actor=space_admin, budget=budget, upload=csv_file(good + f"Bureau 2;{projects[1].pk}\n")
        )
    assert len(failed.value.errors) == 1
    assert "Line 5" in failed.value.errors[0] or "Ligne 5" in failed.value.errors[0]
    assert not PaperCount.objects.exists()
    services.import_paper_counts(actor=space_admin, budget=budget, upload=csv_file(good))
    assert PaperCount.objects.get().votes == 4
