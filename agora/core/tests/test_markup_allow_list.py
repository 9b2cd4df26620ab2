"""Every place where Agora turns text into markup without escaping it, in
templates, Python and JavaScript, is listed here with the reason it is safe.

A new `|safe`, `mark_safe`, `{% autoescape off %}`, `format_html` with
markup that is not a literal, `|trusted_html` (rich text sanitised on save),
or a JavaScript HTML sink (innerHTML, insertAdjacentHTML, Leaflet's
bindTooltip/bindPopup/setContent, which take strings as HTML) fails this test
until it is added to ALLOWED with a one-line reason, and the reviewer checks
that reason. An entry that no longer matches anything fails too, so the list
stays the truth (docs/security.md explains the rules)."""

import ast
import re
from pathlib import Path

AGORA = Path(__file__).resolve().parents[2]

TEMPLATE_PATTERNS = re.compile(r"\|\s*(safe|safeseq|trusted_html)\b|{%\s*autoescape\s+off")
PYTHON_PATTERNS = re.compile(
    r"\b(mark_safe|SafeString|SafeText|html_safe)\b|is_safe\s*=\s*True|\|\s*safe\b|autoescape\s+off"
)
JS_PATTERNS = re.compile(
    r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\.(bindTooltip|bindPopup|setContent)\("
)

# Plain-text e-mails are rendered with autoescape off (an e-mail client shows
# text/plain as text); user text inside them goes through |mail_text anyway.
PLAIN_TEXT_MAIL = re.compile(r"(^|/)email/[^/]+\.txt$")

SANITISED = "rich text cleaned with nh3 on save ({})"
ALLOWED = {
    # --- templates: rich text, sanitised by the service that saves it
    (
        "components/accountability/templates/accountability/detail.html",
        "result.description|t|trusted_html",
    ): SANITISED.format("accountability.services save_result, csv_io"),
    (
        "components/accountability/templates/accountability/detail.html",
        "milestone.description|t|trusted_html",
    ): SANITISED.format("accountability.services save_milestone"),
    ("components/news/templates/news/index.html", "post.body|t|truncatewords_html:40|trusted_html"): SANITISED.format(
        "news.services; truncatewords_html closes the tags it cuts"
    ),
    ("components/news/templates/news/detail.html", "post.body|t|trusted_html"): SANITISED.format(
        "news.services create_post/update_post"
    ),
    ("newsletters/templates/newsletters/_parts.html", "part.html|trusted_html"): SANITISED.format(
        "newsletters.services save_block (Block.text of a text block, read by newsletters.rendering.parts)"
    ),
    ("newsletters/templates/newsletters/email/newsletter.html", "part.html|trusted_html"): SANITISED.format(
        "newsletters.services save_block (Block.text of a text block, read by newsletters.rendering.parts)"
    ),
    ("components/budgets/templates/budgets/project.html", "project.description|t|trusted_html"): SANITISED.format(
        "budgets.services save_project"
    ),
    ("components/budgets/templates/budgets/budget.html", "budget.description|t|trusted_html"): SANITISED.format(
        "budgets.services save_budget"
    ),
    (
        "components/proposals/evaluation/templates/proposal_evaluation/detail.html",
        "proposal.answer|t|trusted_html",
    ): SANITISED.format("proposal_evaluation.services answer"),
    (
        "components/proposals/evaluation/templates/proposal_evaluation/detail.html",
        "proposal.published_answer|t|trusted_html",
    ): SANITISED.format("proposal_evaluation.services answer"),
    (
        "components/proposals/templates/proposals/detail.html",
        "proposal.published_answer|t|trusted_html",
    ): SANITISED.format("proposal_evaluation.services answer"),
    ("components/pages/templates/pages/detail.html", "body|trusted_html"): SANITISED.format(
        "pages.services; with_table_of_contents only adds generated ids"
    ),
    ("spaces/templates/spaces/assembly_detail.html", "space.description|t|trusted_html"): SANITISED.format(
        "spaces.services"
    ),
    ("spaces/templates/spaces/assembly_detail.html", "space.purpose|t|trusted_html"): SANITISED.format(
        "spaces.services"
    ),
    ("spaces/templates/spaces/assembly_detail.html", "space.composition|t|trusted_html"): SANITISED.format(
        "spaces.services"
    ),
    ("spaces/templates/spaces/process_detail.html", "space.description|t|trusted_html"): SANITISED.format(
        "spaces.services"
    ),
    ("spaces/templates/spaces/process_detail.html", "phase.description|t|trusted_html"): SANITISED.format(
        "spaces.services save_phase"
    ),
    ("spaces/templates/spaces/process_group_detail.html", "group.description|t|trusted_html"): SANITISED.format(
        "spaces.services save_group"
    ),
    ("accounts/templates/accounts/terms.html", "terms.body|t|trusted_html"): SANITISED.format(
        "core.services publish_terms"
    ),
    ("components/opinions/templates/opinions/index.html", "conversation.description|t|trusted_html"): SANITISED.format(
        "opinions.services update_conversation"
    ),
    ("components/debates/templates/debates/admin/debate.html", "debate.conclusions|t|trusted_html"): SANITISED.format(
        "debates.services close_debate"
    ),
    ("components/debates/templates/debates/admin/debate.html", "update.body|t|trusted_html"): SANITISED.format(
        "debates.services add_information"
    ),
    ("components/debates/templates/debates/detail.html", "debate.conclusions|t|trusted_html"): SANITISED.format(
        "debates.services close_debate"
    ),
    ("components/debates/templates/debates/detail.html", "debate.description|t|trusted_html"): SANITISED.format(
        "debates.services insert_debate/update_official_debate"
    ),
    ("components/debates/templates/debates/detail.html", "instructions|trusted_html"): SANITISED.format(
        "debates.services insert_debate/update_official_debate (its instructions)"
    ),
    ("components/debates/templates/debates/detail.html", "update.body|t|trusted_html"): SANITISED.format(
        "debates.services add_information"
    ),
    ("components/initiatives/templates/initiatives/detail.html", "initiative.body|trusted_html"): (
        "an initiative's plain text escaped by plain_text_to_html (initiatives.services create/update)"
    ),
    ("components/initiatives/templates/initiatives/pdf/signature_sheet.html", "initiative.body|trusted_html"): (
        "an initiative's plain text escaped by plain_text_to_html, printed on its signature sheet"
    ),
    ("components/initiatives/templates/initiatives/admin/initiative.html", "initiative.body|trusted_html"): (
        "an initiative's plain text escaped by plain_text_to_html (initiatives.services create/update)"
    ),
    ("components/initiatives/templates/initiatives/detail.html", "step.row.response|t|trusted_html"): SANITISED.format(
        "initiatives.services answer_tier"
    ),
    ("components/initiatives/templates/initiatives/admin/initiative.html", "row.response|t|trusted_html"): (
        SANITISED.format("initiatives.services answer_tier")
    ),
    ("components/votations/templates/votations/detail.html", "votation.description|t|trusted_html"): SANITISED.format(
        "votations.services save_votation, open_from_initiative"
    ),
    ("components/votations/templates/votations/detail.html", "question.booklet|t|trusted_html"): SANITISED.format(
        "votations.services save_question (the initiative's text: sanitized by initiatives.services)"
    ),
    ("components/surveys/templates/surveys/index.html", "survey.introduction|t|trusted_html"): SANITISED.format(
        "surveys.services update_survey"
    ),
    ("components/surveys/templates/surveys/respond.html", "survey.terms|t|trusted_html"): SANITISED.format(
        "surveys.services update_survey"
    ),
    ("core/templates/core/home/hero.html", "text|trusted_html"): SANITISED.format(
        "core.home: a block's rich texts are Markdown made HTML then cleaned by its services"
    ),
    ("core/templates/core/home/text.html", "text|trusted_html"): SANITISED.format(
        "core.home: a block's rich texts are Markdown made HTML then cleaned by its services"
    ),
    # --- Python
    (
        "core/templatetags/agora.py",
        'return mark_safe(value or "")',
    ): "the |trusted_html filter itself; each use is listed above",
    (
        "core/home_page.py",
        "html.append(mark_safe(drawn))",
    ): "the output of a block kind's renderer (render_to_string of its template, which escapes)",
    (
        "core/home_page.py",
        "def render(request, blocks) -> tuple[list[SafeString], bool]:",
    ): "a type annotation, not markup",
    ("core/home_page.py", "html: list[SafeString] = []"): "a type annotation, not markup",
    (
        "components/proposals/cards.py",
        "proposal.card_html = mark_safe(html)",
    ): "the output of render_to_string of _card_body.html, which escapes what it shows",
    (
        "components/proposals/support_blocks.py",
        'return mark_safe("".join(parts))  # every piece above is escaped by format_html',
    ): "the support block of a card: literal markup and format_html pieces, which escape every value",
    (
        "components/proposals/forms.py",
        "self.checkbox, self.html = checkbox, mark_safe(html)",
    ): "fast_filter_fields builds the HTML with conditional_escape on every value and label",
    (
        "components/pages/selectors.py",
        'return mark_safe(_HEADING.sub(anchor, body_html or ""))',
    ): "a page body sanitised on save, with generated heading ids added",
    (
        "comments/mentions.py",
        'return mark_safe("".join(f"<p>{part}</p>" for part in paragraphs if part))',
    ): "the comment was escaped first; only <p>, <br> and links to profiles are added",
    # --- JavaScript (strings given to these are inserted as HTML)
    ("comments/static/comments/mentions.js", 'list.innerHTML = "";'): "empties the list (no data)",
    (
        "backoffice/static/backoffice/richtext.js",
        "body.innerHTML = html;",
    ): "the preview of a Markdown field: HTML from backoffice:markdown_preview, sanitized with nh3 by "
    "agora.core.richtext.markdown_to_html (the rendering used on save)",
    ("components/budgets/static/budgets/budgets.js", 'overNode.innerHTML = "";'): "empties the node (no data)",
    (
        "components/proposals/static/proposals/proposals.js",
        "drawn.bindTooltip(name);",
    ): "a <span> whose textContent is the layer's name",
    (
        "components/proposals/static/proposals/proposals.js",
        ".bindPopup(link);",
    ): "an <a> element built with textContent",
    (
        "components/accountability/static/accountability/map.js",
        ".bindPopup(popup);",
    ): "a <div> built with DOM nodes and textContent",
    (
        "components/budgets/static/budgets/map.js",
        ".addTo(map).bindPopup(link);",
    ): "an <a> element whose textContent is the project's title",
    (
        "components/meetings/static/meetings/map.js",
        ".addTo(map).bindPopup(link);",
    ): "an <a> element whose textContent is the meeting's title",
    ("components/meetings/templates/meetings/detail.html", "html=reason|trusted_html"): SANITISED.format(
        "meetings.services cancel_meeting (the reason of the cancellation)"
    ),
    ("components/meetings/templates/meetings/detail.html", "hints|trusted_html"): SANITISED.format(
        "meetings.services insert_meeting/save_meeting (how to find the place)"
    ),
    ("components/meetings/templates/meetings/detail.html", "meeting.description|t|trusted_html"): SANITISED.format(
        "meetings.services insert_meeting/save_meeting"
    ),
    ("components/meetings/templates/meetings/detail.html", "terms|trusted_html"): SANITISED.format(
        "meetings.services insert_meeting/save_meeting (the registration terms)"
    ),
    ("components/meetings/templates/meetings/detail.html", "text|trusted_html"): SANITISED.format(
        "meetings.services save_agenda_item (an agenda item's description)"
    ),
    ("components/meetings/templates/meetings/detail.html", "meeting.minutes|t|trusted_html"): SANITISED.format(
        "meetings.services close_meeting"
    ),
    (
        "components/meetings/templates/meetings/register.html",
        "meeting.registration_terms|t|trusted_html",
    ): SANITISED.format("meetings.services insert_meeting/save_meeting (the registration terms)"),
}


def _sources(root):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or "/tests/" in f"/{relative}" or relative.startswith(("testing/", "e2e/")):
            continue  # test code builds hostile markup on purpose
        if path.suffix in (".html", ".txt", ".xml", ".py", ".js"):
            yield relative, path


def _non_literal_format_html(source: str) -> list[int]:
    """Lines of format_html()/format_html_join() calls whose markup is not a string literal."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = {"format_html": 0, "format_html_join": 1}.get(name or "")
            if position is None:
                continue
            markup = node.args[position] if len(node.args) > position else None
            if not (isinstance(markup, ast.Constant) and isinstance(markup.value, str)):
                lines.append(node.lineno)
    return lines


def unescaped_markup(root: Path = AGORA) -> list[tuple[str, int, str]]:
    """(path under agora/, line number, line) of every place listed in the module docstring."""
    found = []
    for relative, path in _sources(root):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if path.suffix == ".py":
            pattern = PYTHON_PATTERNS
            flagged = set(_non_literal_format_html(text))
        elif path.suffix == ".js":
            pattern, flagged = JS_PATTERNS, set()
        else:
            pattern, flagged = TEMPLATE_PATTERNS, set()
        for number, line in enumerate(lines, start=1):
            if path.suffix == ".py" and re.match(r"\s*(from|import)\s", line):
                continue
            matches = [m.group(0) for m in pattern.finditer(line)]
            if PLAIN_TEXT_MAIL.search(relative) and all("autoescape" in m for m in matches):
                matches = []
            for _match in matches or (["flagged"] if number in flagged else []):
                found.append((relative, number, line.strip()))
    return found


def _allowed_entries(relative: str, line: str) -> list:
    return [key for key in ALLOWED if key[0] == relative and key[1] in line]


def test_every_unescaped_markup_is_listed_with_a_reason():
    found = unescaped_markup()
    # One entry per occurrence: a second unescaped value on a listed line is not covered by the first.
    counts = {}
    for path, number, line in found:
        counts[(path, number, line)] = counts.get((path, number, line), 0) + 1
    unlisted = [
        f"{path}:{number}: {line}"
        for (path, number, line), count in counts.items()
        if len(_allowed_entries(path, line)) < count
    ]
    assert not unlisted, (
        "Text turned into markup without escaping; escape it, or sanitise it on save with nh3 "
        "(agora.core.sanitize) and add it to ALLOWED with the reason:\n" + "\n".join(unlisted)
    )
    used = {key for path, _number, line in found for key in _allowed_entries(path, line)}
    stale = [key for key in ALLOWED if key not in used]
    assert not stale, f"ALLOWED entries that match nothing any more (remove them): {stale}"
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_check_finds_each_kind(tmp_path):
    """The scanner is not blind: each kind of unescaped markup is reported."""
    samples = {
        "app/templates/app/a.html": "<p>{{ item.help_text|safe }}</p>\n{% autoescape off %}x{% endautoescape %}",
        "app/templates/app/email/b.txt": "{% autoescape off %}{{ x }}{% endautoescape %}",
        "app/views.py": "from django.utils.html import format_html\n"
        "a = mark_safe(text)\nb = format_html(markup, x)\nc = format_html('<b>{}</b>', x)\n",
        "app/static/app/app.js": "el.innerHTML = name;\nlayer.bindTooltip(layer.name);\n",
    }
    for name, text in samples.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    found = {(path, line) for path, _number, line in unescaped_markup(tmp_path)}
    assert found == {
        ("app/templates/app/a.html", "<p>{{ item.help_text|safe }}</p>"),
        ("app/templates/app/a.html", "{% autoescape off %}x{% endautoescape %}"),
        ("app/views.py", "a = mark_safe(text)"),
        ("app/views.py", "b = format_html(markup, x)"),
        ("app/static/app/app.js", "el.innerHTML = name;"),
        ("app/static/app/app.js", "layer.bindTooltip(layer.name);"),
    }
