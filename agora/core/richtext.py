"""Rich text written in Markdown, stored as sanitized HTML.

Officers write texts (descriptions, pages, news, answers to ideas) in
Markdown in a plain textarea — `**bold**`, `## Heading`, `- item`,
`[link](https://…)` — with a small toolbar and a preview when JavaScript is
on (agora/core/static/agora/richtext.js). What is saved is HTML, as before:
`markdown_to_html` renders with markdown-it-py (CommonMark and tables) and
the result always goes through the project's sanitizer (`clean_html`, nh3),
so nothing a person types — Markdown or HTML — can bring a script.

What is stored stays HTML so that every page, export and API keeps reading
the same thing; to edit it again, `html_to_markdown` turns the allowed tags
back into Markdown (what Markdown cannot say, such as tables or underlining,
stays as HTML inside the Markdown, which Markdown allows).
"""

import re
from html import escape
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from agora.core.sanitize import clean_html

_markdown = MarkdownIt("commonmark", {"html": True, "breaks": False}).enable("table")

# The page's title is the h1; texts start at h2 and stop at h4 (the sanitizer's tags).
_HEADING_LEVELS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}


def markdown_to_html(text: str) -> str:
    """Sanitized HTML of Markdown (HTML typed in it is sanitized too)."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_LEVELS.get(token.tag, token.tag)
    return clean_html(_markdown.renderer.render(tokens, _markdown.options, {})).strip()


# --- HTML back to Markdown, for editing --------------------------------------------------------

_VOID = {"br", "hr", "img"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "div", "hr"}


class _Node:
    def __init__(self, tag, attrs=(), parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = _Node("root")

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(_Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def _escape_text(text: str) -> str:
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", "&amp;", text)


def _escape_line_start(line: str) -> str:
    """Text that would read as a heading, a list or a quote at the start of a line."""
    match = re.match(r"^(\s*)(\d+)([.)]\s.*)$", line)
    if match:  # "1. " -> "1\. "
        return f"{match.group(1)}{match.group(2)}\\{match.group(3)}"
    return re.sub(r"^(\s*)(#{1,6}\s|[-+]\s|>)", lambda m: m.group(1) + "\\" + m.group(2), line)


def _html(node) -> str:
    """The node as HTML again (tables and what Markdown cannot say)."""
    if isinstance(node, str):
        return escape(node, quote=False)
    attrs = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in node.attrs.items())
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>" + "".join(_html(child) for child in node.children) + f"</{node.tag}>"


def _inline(nodes) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_escape_text(re.sub(r"\s+", " ", node)))
            continue
        inner = _inline(node.children)
        tag = node.tag
        if tag in ("strong", "b"):
            out.append(f"**{inner.strip()}**" if inner.strip() else "")
        elif tag in ("em", "i"):
            out.append(f"*{inner.strip()}*" if inner.strip() else "")
        elif tag == "code":
            code = "".join(child for child in node.children if isinstance(child, str))
            fence = "``" if "`" in code else "`"
            out.append(f"{fence}{code}{fence}")
        elif tag == "a":
            href = (node.attrs.get("href") or "").replace(" ", "%20").replace(")", "%29")
            title = node.attrs.get("title")
            title_part = f' "{title}"' if title else ""
            out.append(f"[{inner}]({href}{title_part})" if href else inner)
        elif tag == "br":
            out.append("\\\n")
        elif tag in _BLOCKS:
            out.append(inner)
        else:  # u, abbr ...: Markdown has no word for them; HTML is allowed in it
            out.append(_html(node) if tag in ("u", "abbr") else inner)
    return "".join(out)


def _lines(text: str) -> str:
    return "\n".join(_escape_line_start(line) for line in text.split("\n"))


def _blocks(nodes, depth=0) -> list[str]:
    """Markdown blocks of a list of nodes (consecutive inline content makes one paragraph)."""
    blocks: list = []
    inline: list = []

    def flush():
        text = _inline(inline).strip()
        if text:
            blocks.append(_lines(text))
        inline.clear()

    for node in nodes:
        if isinstance(node, str) or node.tag not in _BLOCKS:
            inline.append(node)
            continue
        flush()
        tag = node.tag
        if tag in ("p", "div"):
            text = _inline(node.children).strip()
            if text:
                blocks.append(_lines(text))
        elif tag in _HEADING_LEVELS:
            level = int(_HEADING_LEVELS[tag][1])
            blocks.append("#" * level + " " + _inline(node.children).strip())
        elif tag in ("ul", "ol"):
            items = [child for child in node.children if not isinstance(child, str) and child.tag == "li"]
            lines = []
            for number, item in enumerate(items, start=1):
                marker = f"{number}. " if tag == "ol" else "- "
                content = "\n\n".join(_blocks(item.children, depth + 1)) or ""
                indent = " " * len(marker)
                body = "\n".join((indent + line) if line.strip() else "" for line in content.split("\n"))[len(indent) :]
                lines.append(marker + body)
            tight = not any(not isinstance(c, str) and c.tag == "p" for item in items for c in item.children)
            blocks.append(("\n" if tight else "\n\n").join(lines))
        elif tag == "blockquote":
            inner = "\n\n".join(_blocks(node.children, depth + 1))
            blocks.append("\n".join(("> " + line).rstrip() for line in inner.split("\n")))
        elif tag == "pre":
            code = "".join(
                child if isinstance(child, str) else "".join(c for c in child.children if isinstance(c, str))
                for child in node.children
            ).rstrip("\n")
            blocks.append(f"```\n{code}\n```")
        elif tag == "hr":
            blocks.append("---")
        else:  # tables, and anything else: kept as HTML
            blocks.append(_html(node))
    flush()
    return blocks


def html_to_markdown(html: str) -> str:
    """Markdown for editing stored HTML (already sanitized)."""
    if not html:
        return ""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return "\n\n".join(_blocks(builder.root.children)).strip() + "\n"
