"""Eligibility per action: every refusal says what is missing, in French and English."""

from datetime import date

import pytest
from django.utils import translation

from agora.permissions import component_action
from agora.testing import factories
from agora.verifications import services
from agora.verifications.eligibility import check_eligibility
from agora.verifications.models import EligibilityRule


def verify_in_person(
    organization, org_admin, user, birth_date=date(1990, 1, 1), postal_code="45400", scope=None, last_name="Martin"
):
    return services.record_in_person(
        actor=org_admin,
        organization=organization,
        user=user,
        last_name=last_name,
        first_name="Jeanne",
        birth_date=birth_date,
        postal_code=postal_code,
        scope=scope,
    )


def rule(component, action="vote", **options):
    component.__dict__.pop("_agora_eligibility", None)
    return EligibilityRule.objects.create(component=component, action=action, **options)


def test_no_rule_means_every_participant(participant, gated_component):
    assert component_action(participant, gated_component, "vote")


def test_someone_turning_16_during_the_vote(organization, org_admin, participant, gated_component):
    rule(gated_component, min_age=16)
    verify_in_person(organization, org_admin, participant, birth_date=date(2010, 6, 15))
    before = check_eligibility(participant, gated_component, "vote", when=date(2026, 6, 14))
    on_the_day = check_eligibility(participant, gated_component, "vote", when=date(2026, 6, 15))
    assert not before and "16" in before.reason and "15" in before.reason
    assert on_the_day


def test_maximum_age_for_a_youth_budget(organization, org_admin, participant, gated_component):
    rule(gated_component, max_age=17)
    verify_in_person(organization, org_admin, participant, birth_date=date(2008, 3, 1))
    assert check_eligibility(participant, gated_component, "vote", when=date(2026, 2, 28))
    assert not check_eligibility(participant, gated_component, "vote", when=date(2026, 3, 1))


@pytest.mark.parametrize(
    "language, expected",
    [
        ("fr", "Vérifiez votre date de naissance pour voter"),
        ("en", "Verify your date of birth to vote"),
    ],
)
def test_missing_birth_date_says_so_with_a_link(participant, gated_component, enable, language, expected):
    enable("census")
    rule(gated_component, min_age=16)
    with translation.override(language):
        decision = component_action(participant, gated_component, "vote")
    assert not decision
    assert expected in decision.reason
    assert decision.fix_url == "/verifications/census/"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("fr", "Vérifiez votre compte avec l’une de ces méthodes pour soutenir"),
        ("en", "Verify your account with one of these methods to support"),
    ],
)
def test_required_methods(participant, gated_component, language, expected):
    rule(gated_component, action="support", methods=["census", "oidc"])
    with translation.override(language):
        decision = component_action(participant, gated_component, "support")
    assert expected in decision.reason
    assert decision.fix_url == "/verifications/"


def test_one_required_method_links_to_it(participant, gated_component):
    rule(gated_component, action="create", methods=["sms"])
    with translation.override("en"):
        decision = component_action(participant, gated_component, "proposals.create")
    assert decision.reason == "Verify your account with SMS code to submit a proposal."
    assert decision.fix_url == "/verifications/sms/"


def test_postal_codes(organization, org_admin, participant, gated_component):
    rule(gated_component, postal_codes=["45000", "45100"])
    with translation.override("en"):
        missing = component_action(participant, gated_component, "vote")
        assert "Verify your address to vote" in missing.reason and missing.fix_url
        verify_in_person(organization, org_admin, participant, postal_code="45400")
        wrong = component_action(participant, gated_component, "vote")
    assert "45400" in wrong.reason and "45000, 45100" in wrong.reason
    with translation.override("fr"):
        assert "votre code postal vérifié est 45400" in component_action(participant, gated_component, "vote").reason


def test_district_must_match_the_resource(organization, org_admin, participant, gated_component, district):
    south = factories.ScopeFactory(organization=organization, code="SUD", name={"fr": "Sud", "en": "South"})
    rule(gated_component, match_scope=True)

    class Budget:
        scope_id = district.pk

    with translation.override("en"):
        missing = component_action(participant, gated_component, "vote", resource=Budget())
        assert missing.reason == "Verify your address to vote in this district (North)."
        verify_in_person(organization, org_admin, participant, scope=south)
        wrong = component_action(participant, gated_component, "vote", resource=Budget())
        assert wrong.reason == "This is for the residents of North; your verified district is South."
    south.parent = district  # a sub-district of North belongs to North
    south.save()
    assert component_action(participant, gated_component, "vote", resource=Budget())


def test_the_refusal_is_on_the_page(client, participant, gated_component):
    """spaces/refused.html (used by every component view) shows reason and link."""
    from django.shortcuts import render
    from django.test import RequestFactory

    rule(gated_component, min_age=16)
    request = RequestFactory().get("/")
    request.user = participant
    for language, text in (("fr", "Vérifiez votre date de naissance"), ("en", "Verify your date of birth")):
        with translation.override(language):
            decision = component_action(participant, gated_component, "vote")
            html = render(request, "verifications/refused.html", {"decision": decision}).content.decode()
        assert text in html and "/verifications/" in html


def test_officer_saves_rules_on_the_eligibility_screen(client, org_admin, gated_component, participant):
    url = f"/admin/verifications/spaces/{gated_component.space_id}/components/{gated_component.pk}/eligibility/"
    client.force_login(participant)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "vote", "vote-min_age": "16"}).status_code == 403
    client.force_login(org_admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "vote", "vote-min_age": "16", "vote-postal_codes": "45000, 45400", "vote-methods": ["census"]}
    )
    assert response.status_code == 302
    saved = EligibilityRule.objects.get(component=gated_component, action="vote")
    assert (saved.min_age, saved.postal_codes, saved.methods) == (16, ["45000", "45400"], ["census"])
    response = client.post(url, {"action": "vote", "vote-min_age": "20", "vote-max_age": "10"})
    assert (
        response.status_code == 200
        and "maximum" in response.content.decode().lower()
        or "maximal" in response.content.decode().lower()
    )
