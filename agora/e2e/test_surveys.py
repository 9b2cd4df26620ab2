"""A survey in Chromium: questions shown and hidden as the answers change (the
static script, within the Content-Security-Policy), a ranking given from the
keyboard with its selects, the review page; every page of the way and the
officers' screens axe-clean on a phone and on a desktop."""

from django.urls import reverse

from agora.components.surveys import seeds, services
from agora.e2e.crawl import DESKTOP, PHONE, axe_violations, overflow
from agora.e2e.session import log_in_as
from agora.questionnaires.tests.factories import every_type
from agora.spaces.models import Role
from agora.testing import factories


def _setup():
    organization = factories.OrganizationFactory(host="localhost", name="Ville de Test")
    factories.TermsVersionFactory(organization=organization, version=1)
    space = factories.SpaceFactory(organization=organization, title={"fr": "Plan vélo 2027"})
    component = factories.ComponentFactory(space=space, manifest_name="surveys", name={"fr": "Questionnaire"})
    survey = services.ensure_survey(component)
    _questionnaire, q = every_type(organization, questionnaire=survey.questionnaire)
    resident = factories.UserFactory()
    factories.member_of(resident, organization)
    officer = factories.UserFactory()
    factories.member_of(officer, organization)
    Role.objects.create(user=officer, organization=organization, space=space, name=Role.Name.SPACE_ADMIN)
    return component, survey, q, resident, officer


def _clean(page, where):
    """axe and the page's width at the phone's size, then at the desktop's (the
    page is loaded at the phone's, as the crawl of test_accessibility does)."""
    found = []
    for width, height in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)
        found += [f"{where} @ {width}: {problem}" for problem in axe_violations(page) + overflow(page)]
    return found


def _refused_by_csp(page):
    messages = []
    page.on(
        "console", lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None
    )
    return messages


def test_a_resident_answers_with_the_keyboard_and_sees_questions_appear(page, live_server, transactional_db):
    component, survey, q, resident, officer = _setup()
    csp = _refused_by_csp(page)
    log_in_as(page, live_server, resident)
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(live_server.url + reverse("surveys:respond", kwargs=component.url_kwargs()))
    often, why_not = page.locator(f"#item-q{q['often'].pk}"), page.locator(f"#item-q{q['why_not'].pk}")
    # Nothing chosen yet: the questions for cyclists and for the others are both hidden.
    assert often.is_hidden() and why_not.is_hidden()
    problems = _clean(page, "page 1")
    yes = page.locator(f"#id_q{q['bike'].pk}_{q['bike'].options.get(position=0).pk}")
    yes.focus()
    page.keyboard.press("Space")
    assert often.is_visible() and why_not.is_hidden()
    page.keyboard.press("ArrowDown")  # radios of a group move with the arrows: "Non"
    assert why_not.is_visible() and often.is_hidden()
    assert page.locator(f"#id_q{q['often'].pk}_{q['often'].scale_min}").is_disabled()
    page.fill(f"#id_q{q['why_not'].pk}", "Trop de voitures")
    page.click("button[name=go][value=next]")
    assert "2" in page.locator(".progress-label").inner_text()
    problems += _clean(page, "page 2")
    ranking = q["rank"]
    for place, option in enumerate(ranking.options.all(), start=1):
        select = page.locator(f"#id_q{ranking.pk}_o{option.pk}")
        select.focus()
        select.select_option(str(place))
    page.click("button[name=go][value=review]")
    assert (
        page.locator("h2", has_text="Review your answers").count()
        + page.locator("h2", has_text="Relisez vos réponses").count()
        == 1
    )
    problems += _clean(page, "review")
    page.click("button[name=go][value=submit]")
    assert survey.responses.count() == 1
    problems += _clean(page, "the survey's page, answered")
    services.publish_results(
        actor=officer, component=component, question_ids=[q["bike"].pk, q["rank"].pk, q["grid"].pk]
    )
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(live_server.url + reverse("surveys:results", kwargs=component.url_kwargs()))
    problems += _clean(page, "public results")
    assert not problems, "\n".join(problems)
    assert not csp, csp


def test_the_officers_screens_are_accessible(page, live_server, transactional_db):
    component, survey, q, _resident, officer = _setup()
    seeds.answer_sets(survey, 15, seed=1)
    log_in_as(page, live_server, officer)
    problems = []
    kwargs = {"space_id": component.space_id, "component_id": component.pk}
    for name, extra in (
        ("index", {}),
        ("questions", {}),
        ("question_new", {}),
        ("results", {}),
        ("publish", {}),
        ("paper", {}),
        ("edit", {}),
        ("question_edit", {"question_id": q["grid"].pk}),
        ("question_conditions", {"question_id": q["km"].pk}),
    ):
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        response = page.goto(live_server.url + reverse(f"surveys_admin:{name}", kwargs={**kwargs, **extra}))
        assert response.status == 200, name
        problems += _clean(page, name)
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(live_server.url + reverse("surveys_admin:results", kwargs=kwargs) + f"?by=q{q['bike'].pk}")
    problems += _clean(page, "results split")
    assert not problems, "\n".join(problems)


def test_without_an_account_the_browser_solves_the_bot_challenge(page, live_server, transactional_db, settings):
    """The static script solves the server's ALTCHA challenge with WebCrypto
    (at the production cost, PBKDF2 with 1,000 iterations a try) within the
    CSP; a click on "send" before it is done waits for it."""
    settings.AGORA_ALTCHA_COST = 1000
    settings.AGORA_ALTCHA_MAX_NUMBER = 300
    component, survey, q, _resident, _officer = _setup()
    component.settings = {"anonymous_answers": True}
    component.save()
    csp = _refused_by_csp(page)
    page.goto(live_server.url + reverse("surveys:respond", kwargs=component.url_kwargs()))
    page.locator(f"#id_q{q['bike'].pk}_{q['bike'].options.get(position=1).pk}").check()
    page.fill(f"#id_q{q['why_not'].pk}", "Trop de voitures")
    page.click("button[name=go][value=next]")
    ranking = q["rank"]
    for place, option in enumerate(ranking.options.all(), start=1):
        page.locator(f"#id_q{ranking.pk}_o{option.pk}").select_option(str(place))
    page.click("button[name=go][value=review]")
    status = page.locator("[data-altcha-status]")
    status.wait_for(state="visible")  # the script started
    page.click("button[name=go][value=submit]")  # at once: the form waits for the proof
    try:
        page.wait_for_url(lambda url: "/answer/" not in url, timeout=30_000)
    except Exception:
        raise AssertionError(f"{page.url}: {page.locator('main').inner_text()[:3000]}") from None
    stored = survey.responses.get()
    assert stored.respondent is None and stored.session_key
    problems = _clean(page, "answered without an account")
    assert not problems, "\n".join(problems)
    assert not csp, csp
