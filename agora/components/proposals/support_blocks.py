"""The support block under each card of the ideas' list (the progress
towards the threshold and the "Support" / "Withdraw my support" form),
rendered in Python: what does not change from card to card (the CSRF input,
the return address, the words, the icon, the person's decision) is made
once per page, each card adds its id, title and count. Including
`proposals/_support.html` twelve times cost about a millisecond of CPU a
list page (a template context per card, the CSRF token and the URL looked
up each time); this is the same HTML, whitespace aside, which
`tests/test_support_blocks.py` compares with the template in every state and
both languages. The idea page keeps the template (one block a page)."""

from typing import Any
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from agora.components.proposals.models import index_url
from agora.core.formats import number
from agora.core.templatetags.agora import icon


class SupportBlocks:
    """`blocks(proposal)`: the support block of one card of the page whose
    template context is `context` (the view's: supports_mode, supports,
    support_decision, threshold, supported, component, request)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.mode = context.get("supports_mode") or "hidden"
        self.threshold = context.get("threshold") or 0
        self.supported = context.get("supported") or set()
        self.decision = context.get("support_decision")
        supports = context.get("supports") or {}
        self.used_all = bool(supports.get("limit")) and not supports.get("remaining")
        request = context["request"]
        self.list_url = index_url(context["component"])
        self.hidden_inputs = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="next" value="{}">',
            get_token(request),
            request.get_full_path(),
        )
        self.threshold_text = number(self.threshold)
        self.words = {
            "supported": gettext("You support this idea."),
            "withdraw": gettext("Withdraw my support"),
            "support": gettext("Support"),
            "used_all": gettext("You have used all your supports."),
            "to_support": gettext("to support ideas."),
        }
        self.thumbs = icon("thumbs-up")
        self.fix = ""
        if self.decision is not None and not self.decision and getattr(self.decision, "fix_url", None):
            self.fix = format_html(
                '<p class="small"><a href="{}?next={}">{}</a> {}</p>',
                self.decision.fix_url,
                quote(request.path, safe="/"),  # the template's |urlencode
                self.decision.fix_label,
                self.words["to_support"],
            )

    def __call__(self, proposal: Any) -> str:
        """The block's HTML (safe: every piece is escaped by format_html)."""
        if self.mode == "hidden":
            return ""  # nothing to escape
        parts = ['<div class="proposal-support">']
        if self.threshold:
            count = proposal.supports_count
            label = ngettext(
                "%(count)s of %(threshold)s supports needed", "%(count)s of %(threshold)s supports needed", count
            ) % {"count": number(count), "threshold": self.threshold_text}
            parts.append(
                format_html(
                    '<div class="threshold progress"><label for="progress-{pk}" class="progress-label">{label}</label>'
                    '<progress id="progress-{pk}" max="{threshold}" value="{value}">{count}/{threshold}</progress></div>',
                    pk=proposal.pk,
                    label=label,
                    threshold=self.threshold,
                    value=min(count, self.threshold),
                    count=count,
                )
            )
        if self.mode == "enabled" and not proposal.is_withdrawn and not proposal.is_draft:
            title = conditional_escape(proposal.title)
            if proposal.pk in self.supported:
                parts.append(
                    format_html(
                        '<form method="post" action="{}{}/unsupport/" class="inline-form">{}'
                        '<span class="supported">{}</span> <button type="submit" '
                        'class="button button-small button-secondary">{}<span class="visually-hidden"> — {}</span>'
                        "</button></form>",
                        self.list_url,
                        proposal.pk,
                        self.hidden_inputs,
                        self.words["supported"],
                        self.words["withdraw"],
                        title,
                    )
                )
            elif self.decision:
                if self.used_all:
                    parts.append(format_html('<p class="small">{}</p>', self.words["used_all"]))
                else:
                    parts.append(
                        format_html(
                            '<form method="post" action="{}{}/support/" class="inline-form">{}'
                            '<button type="submit" class="button button-small">{}<span>{}</span>'
                            '<span class="visually-hidden"> — {}</span></button></form>',
                            self.list_url,
                            proposal.pk,
                            self.hidden_inputs,
                            self.thumbs,
                            self.words["support"],
                            title,
                        )
                    )
            elif self.fix:
                parts.append(self.fix)
        parts.append("</div>")
        return mark_safe("".join(parts))  # every piece above is escaped by format_html
