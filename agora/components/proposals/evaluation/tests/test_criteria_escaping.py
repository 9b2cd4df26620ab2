"""An evaluation criterion's help text is text on the evaluators' grid
(finding 3 of issue 13: the grid is rendered with {{ form }}, and Django's
form templates do not escape help texts)."""

from django.utils.html import escape

from agora.components.proposals.evaluation.models import Criterion
from agora.testing.xss import PAYLOADS, assert_no_live_payload

from .factories import CriterionFactory, IdeaFactory, admin_url, assign

HOSTILE = [payload for payload in PAYLOADS if "xss-" in payload]


def test_help_texts_of_criteria_are_text_on_the_grid(client, component, evaluator, admin):
    kinds = list(Criterion.Kind)
    for number, payload in enumerate(HOSTILE):
        CriterionFactory(
            component=component,
            kind=kinds[number % len(kinds)],
            required=True,
            label={"fr": payload, "en": payload},
            help_text={"fr": payload, "en": payload},
        )
    idea = IdeaFactory(component=component)
    assign(idea, evaluator)
    client.force_login(evaluator)
    grid = admin_url(component, "evaluate", proposal_id=idea.pk)
    for response, status in ((client.get(grid), 200), (client.post(grid, {}), 400)):  # then with errors
        content = response.content.decode()
        assert response.status_code == status and 'class="helptext"' in content
        assert_no_live_payload(content)
        for payload in HOSTILE:
            assert escape(payload) in content
    client.force_login(admin)
    for name in ("criteria", "detail"):
        kwargs = {"proposal_id": idea.pk} if name == "detail" else {}
        assert_no_live_payload(client.get(admin_url(component, name, **kwargs)).content.decode())
