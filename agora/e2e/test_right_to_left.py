"""A right-to-left language in a browser: the page is mirrored (the brand on
the right, the menu on the left, indents on the right) and never wider than
the window, on a wide screen and on a phone. Arabic is an RTL language Django
knows; Agora ships no Arabic catalogue, so the words stay English or French:
the layout is what is tested."""

from agora.components.proposals.models import Proposal
from agora.core.models import Organization
from agora.demo.city import load_demo

WIDER_THAN_WINDOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
BOX = "(selector) => { const r = document.querySelector(selector).getBoundingClientRect(); return [r.left, r.right]; }"


def test_a_right_to_left_language_mirrors_the_layout(browser, live_server, transactional_db, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    organization, _created = load_demo(host="localhost")
    Organization.objects.filter(pk=organization.pk).update(available_languages=["fr", "en", "ar"])
    idea = Proposal.objects.filter(component__space__organization=organization, status="published").first()
    pages = ["/", "/processes/", idea.get_absolute_url()]
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        for language in ("fr", "ar"):
            context.add_cookies([{"name": "agora_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            for path in pages:
                page.goto(live_server.url + path)
                direction = page.evaluate("document.documentElement.dir")
                assert direction == ("rtl" if language == "ar" else "ltr"), path
                assert page.evaluate(WIDER_THAN_WINDOW) <= 0, f"{path} in {language} at {width}px scrolls sideways"
                left, right = page.evaluate(BOX, ".brand")
                if language == "ar":
                    assert width - right < left, f"{path}: the brand is not on the right in RTL"
                else:
                    assert left < width - right, f"{path}: the brand is not on the left in LTR"
            page.close()
        context.close()
