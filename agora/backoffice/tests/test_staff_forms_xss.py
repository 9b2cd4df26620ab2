"""Every staff form, filled with the XSS corpus (issue 13: "the XSS corpus check also
runs on ... every staff form"). On the demo city, the organization admin walks the
back-office by its links, and every form that has a text box is submitted with a
hostile text in each text box (other fields keep the values the page gave them).
Then every page seen — back-office pages, re-rendered forms, and the public
pages — is checked: the payloads may be shown as text, never as live markup.

The walk finds the forms by itself: a new back-office screen is covered without
being listed here."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client

from agora.accounts.models import User
from agora.demo.city import load_demo
from agora.testing.xss import PAYLOADS, live_markup

pytestmark = pytest.mark.django_db
HOSTILE = [payload for payload in PAYLOADS if "xss-" in payload]
TEXT_TYPES = {"text", "search", ""}
# Forms that end the session, change the language or the staff's own account.
SKIPPED_ACTIONS = ("/accounts/", "/i18n/", "/account/")
# Agora's back-office and the platform's organization screens (the rest of /system/
# is Django's own admin, not Agora's templates).
WALKED = ("/admin/", "/system/organizations/")
# Text boxes that take a code, not prose: a hostile text there is refused (rightly), and
# the second try keeps their value so that the form's prose fields are saved.
CODE_NAMES = (
    "slug",
    "code",
    "colour",
    "color",
    "host",
    "email",
    "prefix",
    "date",
    "url",
    "client_id",
    "secret",
    "person",
    "user",
    "postal",
    "phone",
    "time",
    "token",
    "key",
    "cost",
    "amount",
    "number",
)


class _Page(HTMLParser):
    """Links and POST forms of a page: each form as (action, fields, text names)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            post = (attrs.get("method") or "get").lower() == "post"
            self._form = {"action": attrs.get("action") or "", "fields": [], "texts": []} if post else None
            if post:
                self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "").lower()
            if kind in TEXT_TYPES:
                self._form["texts"].append((attrs["name"], attrs.get("value") or ""))
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((attrs["name"], attrs.get("value") or "on"))
            elif kind not in ("file", "submit", "button", "image", "reset"):
                self._form["fields"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea" and attrs.get("name"):
            self._form["texts"].append((attrs["name"], ""))
            self._textarea = attrs["name"]
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self._form["texts"][-1]
            self._form["texts"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["chosen"] or ([self._select["first"]] if self._select["first"] else [])
            self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_every_staff_form_takes_hostile_text_and_no_page_runs_it():
    organization, _created = load_demo(host="testserver")
    admin = User.objects.get(email="admin@belleville.example")
    client = Client(raise_request_exception=True)
    client.force_login(admin)

    problems: dict[str, list[str]] = {}
    seen: list[str] = []

    def check(path, response):
        if "text/html" in response.get("Content-Type", ""):
            found = live_markup(response.content.decode())
            if found:
                problems[path] = found

    # 1. Walk the back-office by its links; fill and post every form with a text box.
    queue, visited, posted, saved = list(WALKED), set(), 0, 0
    while queue and len(visited) < 400:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        response = client.get(path)
        if response.status_code == 302 and response["Location"].startswith("/terms/"):
            # A new terms version (one of the forms) asks the admin to accept it first.
            check("/terms/", client.get("/terms/"))
            client.post("/terms/", {"next": path})
            response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen.append(path)
        page = _parse(response.content.decode())
        for href in page.links:
            target = urlparse(urljoin(path, href))
            if target.netloc in ("", "testserver") and target.path.startswith(WALKED):
                queue.append(target.path)
        for number, form in enumerate(page.forms):
            action = urlparse(urljoin(path, form["action"] or path)).path
            if not form["texts"] or action.startswith(SKIPPED_ACTIONS):
                continue
            for everywhere in (True, False):  # every text box, then the prose ones only
                data: dict[str, list[str]] = {}
                for name, value in form["fields"]:
                    data.setdefault(name, []).append(value)
                for index, (name, value) in enumerate(form["texts"]):
                    prose = not any(part in name.lower() for part in CODE_NAMES)
                    hostile = HOSTILE[(index + number + posted) % len(HOSTILE)]
                    data[name] = [hostile if everywhere or prose else value]
                answer = client.post(action, data)
                check(f"POST {action}", answer)
                if answer.status_code != 200:
                    break
            posted += 1
            saved += answer.status_code == 302

    # 2. Every page again, and the public site, now that the hostile texts are saved.
    shown = 0
    for path in seen:
        response = client.get(path)
        check(path, response)
        shown += "xss-" in response.content.decode()
    public, queue, visited_public = Client(), ["/"], set()
    while queue and len(visited_public) < 150:
        path = queue.pop(0)
        if path in visited_public:
            continue
        visited_public.add(path)
        response = public.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        check(path, response)
        for href in _parse(response.content.decode()).links:
            target = urlparse(urljoin(path, href))
            if target.netloc in ("", "testserver") and not target.path.startswith(
                ("/admin/", "/system/", "/accounts/", "/i18n/", "/media/", "/static/")
            ):
                queue.append(target.path)

    assert not problems, problems
    # The walk really reached the screens and really saved hostile text in many of them.
    assert len(seen) > 60, len(seen)
    assert posted > 40 and saved > 20, (posted, saved)
    assert shown > 20, shown  # pages that show a saved hostile text (as text)
