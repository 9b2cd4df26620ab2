"""Walk the pages of the site in a real browser and run axe-core on each, at each
screen size asked for (a phone and a desktop: one page load, the window resized)."""

from collections import deque
from urllib.parse import urldefrag, urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

SKIPPED_PREFIXES = ("/static/", "/media/", "/system/", "/i18n/", "/accounts/logout", "/accounts/3rdparty")
_axe = Axe()


def overflow(page) -> list[str]:
    """The page must fit the window's width: a wide table scrolls in its own box, nothing is cut."""
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.viewport_size["width"]
    return [f"page-wider-than-the-window: {width} px in a {window} px window"] if width > window + 1 else []


def axe_violations(page) -> list[str]:
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


PHONE, DESKTOP = (390, 844), (1280, 900)


def crawl(page, base_url: str, start_paths, *, within=("/",), max_pages=120, viewports=(DESKTOP,)):
    """Visit every same-site link reachable from start_paths whose path starts
    with one of `within`, and run axe at each of `viewports` (width, height): the
    page is loaded at the first and the window resized to the others, which costs
    an axe run, not a page load. Returns ({path: [violations]}, [(path, status)]
    errors, visited); a violation found at a size other than the first is keyed
    "path @ width". A page wider than the window counts as a violation."""
    host = urlparse(base_url).netloc
    queue: deque = deque(start_paths)
    seen: set = set()
    violations, errors = {}, []
    while queue and len(seen) < max_pages:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        if page.viewport_size != {"width": viewports[0][0], "height": viewports[0][1]}:
            page.set_viewport_size({"width": viewports[0][0], "height": viewports[0][1]})
        try:
            response = page.goto(base_url + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # an export: a file, not a page
            raise
        if response is None or response.status >= 400:
            errors.append((path, response.status if response else None))
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # downloads (exports) are not pages
        found = axe_violations(page) + overflow(page)
        if found:
            violations[path] = found
        for width, height in viewports[1:]:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(50)  # the media queries' change events (agora.js folds the menus)
            found = axe_violations(page) + overflow(page)
            if found:
                violations[f"{path} @ {width}"] = found
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            url = urlparse(urldefrag(href)[0])
            if url.scheme not in ("http", "https") or url.netloc != host:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target.startswith(SKIPPED_PREFIXES) or not target.startswith(tuple(within)):
                continue
            if target not in seen:
                queue.append(target)
    return violations, errors, seen
