"""The budget officer (a space admin) sees who may take part in the space's
components, read-only, with a link to change it (their right), and no link
to the organization's verification methods (not their right)."""

import pytest
from django.urls import reverse

from agora.spaces.models import Role
from agora.testing import factories
from agora.verifications.models import EligibilityRule


@pytest.fixture
def vote(process, enable):
    component = factories.ComponentFactory(space=process, manifest_name="budgets")
    enable("census")
    EligibilityRule.objects.create(
        component=component, action="vote", methods=["census"], min_age=16, postal_codes=["45000"]
    )
    return component


@pytest.fixture
def budget_officer(organization, process):
    user = factories.UserFactory()
    factories.member_of(user, organization)
    Role.objects.create(user=user, organization=organization, space=process, name=Role.Name.SPACE_ADMIN)
    return user


def test_the_budget_officer_sees_the_setup_on_the_space_and_the_budget_screens(client, process, vote, budget_officer):
    client.force_login(budget_officer)
    client.cookies["agora_language"] = "en"
    for url in (
        reverse("backoffice:space", args=[process.pk]),
        reverse("budgets_admin:index", kwargs={"space_id": process.pk, "component_id": vote.pk}),
    ):
        html = client.get(url).content.decode()
        assert "Who may take part" in html
        assert "To vote:" in html and "an account verified by: Census, aged 16 and over, living in 45000" in html
        assert "Verification methods the organization offers: Census." in html
        assert reverse("verifications_admin:eligibility", args=[process.pk, vote.pk]) in html
        assert f'href="{reverse("verifications_admin:overview")}"' not in html  # the organization admins' screen
        assert "The organization's administrators choose the methods and upload the census." in html
    # And they may open the page that changes it; not the methods.
    assert client.get(reverse("verifications_admin:eligibility", args=[process.pk, vote.pk])).status_code == 200
    assert client.get(reverse("verifications_admin:overview")).status_code == 403


def test_a_method_required_but_not_offered_is_flagged(client, org_admin, process, vote, organization):
    from agora.verifications.models import EnabledMethod

    EnabledMethod.objects.filter(organization=organization, method="census").delete()
    client.force_login(org_admin)
    client.cookies["agora_language"] = "en"
    html = client.get(reverse("backoffice:space", args=[process.pk])).content.decode()
    assert "Required but not offered by the organization: Census." in html
    assert f'href="{reverse("verifications_admin:overview")}"' in html


def test_without_rules_it_says_anyone_may(client, org_admin, process):
    factories.ComponentFactory(space=process, manifest_name="budgets")
    client.force_login(org_admin)
    client.cookies["agora_language"] = "en"
    html = client.get(reverse("backoffice:space", args=[process.pk])).content.decode()
    assert "every participant with a confirmed account (no verification)" in html
