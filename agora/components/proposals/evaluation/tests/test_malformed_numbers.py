"""Ids that are not numbers in the evaluation back-office: a message, never a 500."""

import pytest

from agora.actionlog.models import ActionLog
from agora.components.proposals.evaluation import services

from .factories import IdeaFactory, admin_url


@pytest.mark.parametrize("query", ["²", "9" * 30])
def test_searching_for_a_superscript_or_a_huge_id_lists_nothing(client, component, admin, query):
    idea = IdeaFactory(component=component)
    client.force_login(admin)
    response = client.get(admin_url(component, "index"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No idea matches." in html or "Aucune idée ne correspond." in html
    assert idea.title not in html


def test_an_answer_file_with_a_superscript_id_names_the_line(component):
    idea = IdeaFactory(component=component)
    with pytest.raises(services.AnswerImportError) as refusal:
        services.plan_answer_import(component, f"id;answer_fr\n{idea.pk};Oui\n²;Non\n")
    assert [line for line, _reason in refusal.value.errors] == [3]


def test_bulk_actions_ignore_ids_that_are_not_numbers(client, component, admin):
    idea = IdeaFactory(component=component)
    client.force_login(admin)
    response = client.post(admin_url(component, "bulk"), {"proposals": ["²", str(idea.pk)], "action": "publish"})
    assert response.status_code == 400
    assert 'id="bulk-errors-heading"' in response.content.decode()  # the form again, with what went wrong
    assert not ActionLog.objects.exists()
