"""Walk the pages of the site in a real browser and run axe-core on each."""

from collections import deque
from urllib.parse import urldefrag, urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

SKIPPED_PREFIXES = ("/static/", "/media/", "/system/", "/i18n/", "/accounts/logout", "/accounts/3rdparty")
_axe = Axe()


def axe_violations(page) -> list[str]:
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def crawl(page, base_url: str, start_paths, *, within=("/",), max_pages=120):
    """Visit every same-site link reachable from start_paths whose path starts
    with one of `within`. Returns ({path: [violations]}, [(path, status)] errors, visited)."""
    host = urlparse(base_url).netloc
    queue, seen = deque(start_paths), set()
    violations, errors = {}, []
    while queue and len(seen) < max_pages:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
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
        found = axe_violations(page)
        if found:
            violations[path] = found
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
