"""Checking a ballot's receipt code: stored and counted, never the choices."""

from urllib.parse import quote

import pytest
from django.core import mail

from agora.components.budgets import services
from agora.components.budgets.models import Budget, normalize_receipt, receipt_check_url
from agora.components.budgets.tests.factories import BudgetFactory
from agora.spaces.models import SpaceMember
from agora.testing import factories


@pytest.fixture
def ballot(participant, budget, projects):
    return services.cast_ballot(actor=participant, budget=budget, choices={projects[0].pk: 1, projects[3].pk: 1})


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("ABCD-EFGH-JKLM", "ABCD-EFGH-JKLM"),
        ("abcd efgh jklm", "ABCD-EFGH-JKLM"),
        ("  abcdefghjklm ", "ABCD-EFGH-JKLM"),
        ("ABCD-EFGH-JKL", None),  # too short
        ("ABCD-EFGH-JKLO", None),  # O is never in a code (0/O, 1/I are left out)
        ("ABCD-EFGH-JKLM-N", None),
        ("", None),
    ],
)
def test_receipt_codes_are_read_as_people_type_them(typed, stored):
    assert normalize_receipt(typed) == stored


def test_anyone_checks_a_receipt_without_seeing_the_choices(client, component, budget, projects, ballot):
    url = receipt_check_url(component)
    assert client.get(url).status_code == 200
    typed = ballot.receipt.lower().replace("-", " ")
    response = client.post(url, {"code": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "stored and counted" in html or "enregistré et compté" in html
    assert ballot.receipt in html and str(budget) in html
    for project in projects:  # neither chosen nor other projects: nothing about the choices
        assert str(project) not in html


def test_an_unknown_or_malformed_code_says_so_and_keeps_the_input(client, component, budget, projects, ballot):
    url = receipt_check_url(component)
    unknown = "ZZZZ-ZZZZ-ZZZZ" if ballot.receipt != "ZZZZ-ZZZZ-ZZZZ" else "YYYY-YYYY-YYYY"
    response = client.post(url, {"code": unknown})
    assert response.status_code == 200
    assert response.context["ballot"] is None and response.context["form"].errors["code"]
    response = client.post(url, {"code": "not a code"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]
    assert 'value="not a code"' in response.content.decode()


def test_a_code_is_only_found_in_its_own_component(client, organization, process, ballot, budget):
    other = factories.ComponentFactory(space=process, manifest_name="budgets", name={"fr": "Autre"})
    BudgetFactory(component=other)
    response = client.post(receipt_check_url(other), {"code": ballot.receipt})
    assert response.context["ballot"] is None


def test_ballots_of_an_imported_past_edition_are_not_checked(client, component, budget, ballot):
    Budget.objects.filter(pk=budget.pk).update(imported_from="edition.pb")
    response = client.post(receipt_check_url(component), {"code": ballot.receipt})
    assert response.context["ballot"] is None


def test_a_private_space_refuses_the_check_to_outsiders(client, participant, component, budget, ballot):
    space = component.space
    space.private = True
    space.save()
    url = receipt_check_url(component)
    response = client.post(url, {"code": ballot.receipt})  # members only: log in first, then the component
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(component.get_absolute_url())}"
    outsider = factories.UserFactory()
    factories.member_of(outsider, space.organization)
    client.force_login(outsider)
    response = client.post(url, {"code": ballot.receipt})
    assert response.status_code == 403
    assert ballot.receipt not in response.content.decode()
    SpaceMember.objects.create(space=space, user=participant)
    client.force_login(participant)
    assert client.post(url, {"code": ballot.receipt}).context["ballot"] == ballot


def test_checks_are_rate_limited_per_address(client, settings, component, budget, ballot):
    settings.ACCOUNT_RATE_LIMITS = {"receipt_check": "3/m/ip"}
    url = receipt_check_url(component)
    for _ in range(3):
        assert client.post(url, {"code": "ZZZZ-ZZZZ-ZZZ2"}).status_code == 200
    refused = client.post(url, {"code": ballot.receipt})
    assert refused.status_code == 429
    assert refused.context["ballot"] is None
    assert refused.context["form"].non_field_errors()


def test_the_receipt_e_mail_and_the_ballot_page_link_to_the_check(
    client, participant, component, budget, projects, django_capture_on_commit_callbacks
):
    client.force_login(participant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(budget.get_absolute_url(), {"project": [projects[0].pk], "vote": "1", "confirm": "1"})
    url = receipt_check_url(component)
    assert len(mail.outbox) == 1 and url in mail.outbox[0].body
    assert mail.outbox[0].body.count("http") >= 1
    assert url in client.get(budget.get_absolute_url()).content.decode()
    assert url in client.get(component.get_absolute_url()).content.decode()


def test_paper_ballots_entered_by_staff_are_checked_too(client, component, budget, projects, space_admin):
    paper = services.enter_paper_ballot(
        actor=space_admin, budget=budget, choices={projects[1].pk: 1}, reference="Bureau 3"
    )
    response = client.post(receipt_check_url(component), {"code": paper.receipt})
    assert response.context["ballot"] == paper
    assert "Bureau 3" not in response.content.decode()


def test_behind_a_proxy_each_visitor_has_their_own_limit(client, settings, component, budget, ballot):
    settings.ACCOUNT_RATE_LIMITS = {"receipt_check": "2/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    url = receipt_check_url(component)
    for _ in range(2):
        assert client.post(url, {"code": ballot.receipt}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert client.post(url, {"code": ballot.receipt}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # Another visitor behind the same proxy (same REMOTE_ADDR) is not held back.
    assert client.post(url, {"code": ballot.receipt}, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 200


def test_every_e_mail_link_has_the_sites_port(
    client, settings, component, budget, projects, participant, django_capture_on_commit_callbacks
):
    """Issue 14, item 4: the receipt link lacked the port that links built from the
    request had. Every e-mail link now starts at Organization.base_url."""
    from agora.components.proposals.views import _base_url as proposals_base_url

    settings.PUBLIC_PORT = 8000
    client.force_login(participant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(budget.get_absolute_url(), {"project": [projects[0].pk], "vote": "1", "confirm": "1"})
    assert f"http://testserver:8000{receipt_check_url(component)}" in mail.outbox[0].body
    request = type("Request", (), {"organization": component.space.organization})()
    assert proposals_base_url(request).rstrip("/") == "http://testserver:8000"
    settings.SECURE, settings.PUBLIC_PORT = True, 443
    assert component.space.organization.base_url == "https://testserver"
