"""axe-core on every page of the demo city, public and back-office, in
French and in English on a 1280 px screen, and in French on a phone (390 x 844)
as well (French words are the longer ones): each French page is loaded at phone
size, checked, then the window is widened and it is checked again, so the phone
costs an axe run per page, not a second crawl. A page wider than the window
(a table cut, a word that does not wrap) fails like an axe violation.

Themes: the same crawls (public, participant, back-office) run again in the
high-contrast theme, in French at both sizes: every page the light theme
checks is checked in high contrast too (each crawl is one test of its own, so
that CI can spread them). The style guide, which shows every page part in
both themes side by side, is checked with the page itself in each theme at
both sizes."""

import pytest

from agora.accounts.models import User
from agora.demo.city import load_demo
from agora.e2e.crawl import DESKTOP, PHONE, crawl
from agora.e2e.session import log_in_as
from agora.newsletters.models import Recipient

SIZES = {"fr": (PHONE, DESKTOP), "en": (DESKTOP,)}
# (language, theme) of each crawl: French and English in the light theme, French in high contrast.
VARIANTS = [("fr", "light"), ("en", "light"), ("fr", "contrast")]

PUBLIC_START = [
    "/",
    "/processes/",
    "/assemblies/",
    "/terms/",
    "/accessibility/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/profiles/camille/",
    "/search/?q=budget",
    "/newsletters/",
    # The meetings' global agenda: the list and the month (a table with its headers).
    "/agenda/",
    "/agenda/?view=month",
]


def _component_pages():
    """Entry pages of every demo component and one item of each, so that the
    crawl reaches ideas, ballots, results and threads whatever its page limit."""
    from agora.components.accountability.models import Result
    from agora.components.budgets.models import Budget, Project
    from agora.components.models import Component
    from agora.components.proposals.models import Proposal

    pages = [component.get_absolute_url() for component in Component.objects.select_related("space")]
    idea = Proposal.objects.published().order_by("pk").first()
    pages += [idea.get_absolute_url(), idea.get_absolute_url() + "embed/", idea.component.get_absolute_url() + "map/"]
    budget = Budget.objects.order_by("pk").first()
    pages += [budget.get_absolute_url(), Project.objects.filter(budget=budget).first().get_absolute_url()]
    pages.append(Result.objects.order_by("pk").first().get_absolute_url())
    # A project and a result with their comment threads (the 2025 edition has comments on).
    from agora.comments.models import Comment

    for model in (Project, Result):
        commented = (
            model.objects.filter(
                pk__in=Comment.objects.filter(content_type__model=model._meta.model_name).values("object_id")
            )
            .order_by("pk")
            .first()
        )
        pages.append(commented.get_absolute_url())
    # A debate open to arguments (its summary, information and thread) and one closed with conclusions.
    from agora.components.debates.models import Debate

    debates = Debate.objects.order_by("pk")
    pages += [
        debates.filter(closed_at__isnull=True, official=True).first().get_absolute_url(),
        debates.filter(closed_at__isnull=False).first().get_absolute_url(),
    ]
    # A meeting held (minutes, photos, map) and one full with its waiting list.
    from agora.components.meetings.models import Meeting

    pages += [
        Meeting.objects.filter(closed_at__isnull=False).order_by("pk").first().get_absolute_url(),
        Meeting.objects.filter(waiting_count__gt=0).order_by("pk").first().get_absolute_url(),
    ]
    return pages


def _debates_url():
    from agora.components.models import Component

    return Component.objects.filter(manifest_name="debates").order_by("pk").first().get_absolute_url()


@pytest.fixture
def demo(transactional_db, live_server):
    organization, _created = load_demo(host="localhost")
    return organization


def _log_in(page, live_server, email):
    log_in_as(page, live_server, User.objects.get(email=email))


def _set_language(page, live_server, language, theme="light"):
    """The page's language, and its theme (the header's "High contrast" button sets the same cookie)."""
    page.context.add_cookies([{"name": "agora_language", "value": language, "url": live_server.url}])
    page.context.add_cookies([{"name": "agora_theme", "value": theme, "url": live_server.url}])


def _check_theme(page, theme):
    assert page.evaluate("document.documentElement.dataset.theme") == theme


def _report(violations, errors):
    lines = [f"{path}: {v}" for path, found in violations.items() for v in found]
    lines += [f"{path}: HTTP {status}" for path, status in errors]
    return "\n".join(lines)


@pytest.mark.parametrize(("language", "theme"), VARIANTS)
def test_public_pages_have_no_axe_violation(page, live_server, demo, language, theme):
    _set_language(page, live_server, language, theme)
    start = PUBLIC_START + _component_pages()
    violations, errors, visited = crawl(
        page, live_server.url, start, within=("/",), max_pages=70, viewports=SIZES[language]
    )
    assert set(start) <= set(visited)
    assert not violations and not errors, _report(violations, errors)
    page.goto(live_server.url + "/")  # the last page crawled may be a picture, which has no language
    assert page.evaluate("document.documentElement.lang") == language
    _check_theme(page, theme)


@pytest.mark.parametrize(("language", "theme"), VARIANTS)
def test_participant_pages_have_no_axe_violation(page, live_server, demo, language, theme):
    _set_language(page, live_server, language, theme)
    _log_in(page, live_server, "camille@belleville.example")
    from agora.components.proposals.models import Proposal

    ideas = Proposal.objects.published().order_by("pk").first().component.get_absolute_url()
    start = [
        "/account/settings/",
        "/account/delete/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/notifications/",
        "/notifications/preferences/",
        "/conversations/",
        "/conversations/settings/",
        "/verifications/",
        "/verifications/census/",
        "/verifications/letter/",
        "/verifications/sms/",
        "/verifications/document/",
        ideas + "new/",
        _debates_url() + "new/",
    ]
    violations, errors, visited = crawl(
        page,
        live_server.url,
        start,
        within=("/account", "/notifications/", "/conversations/", "/verifications/"),
        max_pages=30,
        viewports=SIZES[language],
    )
    assert set(start) <= set(visited)
    assert not violations and not errors, _report(violations, errors)
    _check_theme(page, theme)


@pytest.mark.parametrize(("language", "theme"), VARIANTS)
def test_backoffice_pages_have_no_axe_violation(page, live_server, demo, language, theme):
    _set_language(page, live_server, language, theme)
    _log_in(page, live_server, "admin@belleville.example")
    # The home page's blocks: the list, the choice of a kind and two forms (the others are reached by their links).
    start = [
        "/admin/",
        "/admin/organization/home/",
        "/admin/organization/home/new/",
        "/admin/organization/home/new/?kind=spaces.highlighted",
        "/admin/organization/home/new/?kind=text",
        "/admin/newsletters/",
    ]
    # The demo's newsletter with a person "possibly sent" it, and the confirmation to send it again to them.
    letter = Recipient.objects.filter(email__state="unsure").values_list("newsletter_id", flat=True).first()
    assert letter is not None
    start += [f"/admin/newsletters/{letter}/", f"/admin/newsletters/{letter}/resend/"]
    violations, errors, visited = crawl(
        page, live_server.url, start, within=("/admin/",), max_pages=150, viewports=SIZES[language]
    )
    assert set(start) <= set(visited)
    assert len(visited) > 5, visited
    assert not violations and not errors, _report(violations, errors)
    _check_theme(page, theme)


@pytest.mark.parametrize("theme", ["light", "contrast"])
def test_the_style_guide_has_no_axe_violation_in_either_theme(page, live_server, demo, theme):
    _set_language(page, live_server, "fr")
    page.context.add_cookies([{"name": "agora_theme", "value": theme, "url": live_server.url}])
    _log_in(page, live_server, "admin@belleville.example")
    violations, errors, visited = crawl(
        page, live_server.url, ["/admin/styleguide/"], within=(), max_pages=1, viewports=(PHONE, DESKTOP)
    )
    assert visited == {"/admin/styleguide/"}
    assert not violations and not errors, _report(violations, errors)
