"""Answering a survey: page by page without JavaScript, review, changes, refusals."""

import os
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from agora.actionlog.models import ActionLog
from agora.components.surveys import services
from agora.components.surveys.models import Response, ResponseCount, Survey
from agora.components.surveys.selectors import answer_count
from agora.components.surveys.tests.conftest import first_page, option, second_page
from agora.core import pagecache
from agora.core.translations import tr
from agora.permissions import PermissionDenied
from agora.questionnaires import selectors
from agora.questionnaires import services as questionnaire_services
from agora.questionnaires.answers import StoredFile
from agora.questionnaires.models import Answer, Tally
from agora.questionnaires.services import AnswersRefused
from agora.testing import factories
from agora.testing.challenges import solve_page


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["agora_language"] = "en"


def url(component, name="respond"):
    return reverse(f"surveys:{name}", kwargs=component.url_kwargs())


def tally(question, key):
    """The counter: its shards added up."""
    return sum(Tally.objects.filter(question=question, key=key).values_list("count", flat=True))


def answer_all(client, component, q, first=None, second=None):
    assert client.post(url(component), first or first_page(q)).status_code == 200
    response = client.post(url(component), second or second_page(q))
    review = response.content.decode()
    assert response.status_code == 200 and "Review your answers" in review
    sent = {"page": "review", "go": "submit"}
    if "data-altcha=" in review:  # without an account: the browser's proof of work
        sent["altcha"] = solve_page(review)
    return client.post(url(component), sent)


def test_a_participant_answers_page_by_page_reviews_and_sends(client, component, q, participant):
    client.force_login(participant)
    html = client.get(url(component)).content.decode()
    assert "Page 1 of 2" in html and '<progress max="3" value="1"' in html
    assert '<legend><span class="questionnaire-number">1.</span> Faites-vous du vélo ?' in html
    # The question shown only to cyclists carries its condition for the script, and says it in words.
    assert f'id="item-q{q["often"].pk}" data-conditions=' in html
    assert "Answer only if you answered “Oui” to “Faites-vous du vélo ?”." in html

    page2 = client.post(url(component), first_page(q)).content.decode()
    assert "Page 2 of 2" in page2
    review = client.post(url(component), second_page(q)).content.decode()
    assert "Review your answers" in review and "Les Prés" in review and "1. Confort, 2. Sécurité" in review
    response = client.post(url(component), {"page": "review", "go": "submit"})
    assert response.status_code == 302

    stored = Response.objects.get()
    assert (stored.respondent, stored.channel) == (participant, "online")
    values = selectors.values_of(stored.answer_set, selectors.questions_of(stored.survey.questionnaire))
    assert values[q["km"].pk] == Decimal("35") and values[q["rank"].pk] == [option(q["rank"], 1), option(q["rank"], 0)]
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}") == 1
    assert answer_count(Survey.objects.get()) == 1
    assert ActionLog.objects.filter(verb="surveys.answered", actor=participant).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Thank you for answering “Cycling plan”"
    follow = client.get(url(component, "index")).content.decode()
    assert "You answered this survey" in follow and "Change my answers" in follow


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, component, q, participant):
    client.force_login(participant)
    client.post(url(component), first_page(q))
    every_need = [str(o.pk) for o in q["needs"].options.all()]
    rank = q["rank"]
    response = client.post(
        url(component),
        second_page(
            q,
            **{
                f"q{q['needs'].pk}": every_need,
                f"q{rank.pk}_o{option(rank, 2)}": "1",
                f"q{q['km'].pk}": "900",
                f"q{q['when'].pk}": "2019-01-01",
            },
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose at most 2 options (you chose 3)." in html
    assert "Place 1 is given to several options: give each place once." in html
    assert "Enter a number from 0 to 500." in html and "Enter a date from" in html
    # Errors are linked from the summary and to their fields; what was typed is kept.
    assert f'href="#id_q{q["km"].pk}"' in html
    assert f'aria-describedby="q{q["km"].pk}-error"' in html and 'aria-invalid="true"' in html
    assert 'value="900"' in html
    assert f'id="id_q{q["needs"].pk}_{option(q["needs"], 2)}" value="{option(q["needs"], 2)}" checked' in html
    assert not Response.objects.exists() and not Answer.objects.exists() and not Tally.objects.exists()


def test_a_choice_not_offered_is_refused(client, component, q, participant):
    client.force_login(participant)
    response = client.post(url(component), first_page(q, **{f"q{q['bike'].pk}": "999999"}))
    assert response.status_code == 400 and "This choice is not one of the options offered." in response.content.decode()


def test_hidden_questions_are_not_required_and_their_answers_are_dropped(client, component, q, participant):
    client.force_login(participant)
    # Not a cyclist: "how often" (required for cyclists) was answered before the answer changed.
    first = first_page(q, **{f"q{q['bike'].pk}": str(option(q["bike"], 1)), f"q{q['why_not'].pk}": "Trop loin"})
    assert answer_all(client, component, q, first=first).status_code == 302
    stored = Answer.objects.filter(answer_set=Response.objects.get().answer_set)
    assert not stored.filter(question=q["often"]).exists()
    assert stored.get(question=q["why_not"]).text == "Trop loin"
    assert tally(q["often"], "answered") == 0


def test_changing_ones_answers_moves_the_counters(client, component, q, participant):
    client.force_login(participant)
    answer_all(client, component, q)
    html = client.get(url(component)).content.decode()
    assert f'value="{option(q["bike"], 0)}" checked' in html  # the stored answers are shown again
    first = first_page(q, **{f"q{q['bike'].pk}": str(option(q["bike"], 1)), f"q{q['often'].pk}": ""})
    assert answer_all(client, component, q, first=first).status_code == 302
    assert Response.objects.count() == 1 and answer_count(Survey.objects.get()) == 1
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}") == 0 and tally(q["bike"], f"o:{option(q['bike'], 1)}") == 1
    assert ActionLog.objects.filter(verb="surveys.answers_changed").count() == 1


def test_without_changes_allowed_a_second_answer_is_refused(client, component, q, participant):
    component.settings = {"editable": False}
    component.save()
    client.force_login(participant)
    answer_all(client, component, q)
    response = client.get(url(component))
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="already answered"):
        services.respond(actor=participant, component=component, values={})
    assert Response.objects.count() == 1


def test_people_without_an_account_are_refused_unless_the_setting_allows(client, component, q):
    response = client.get(url(component))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    component.settings = {"anonymous_answers": True}
    component.save()
    assert answer_all(client, component, q).status_code == 302
    stored = Response.objects.get()
    assert stored.respondent is None and stored.session_key
    # The same browser changes its answers: still one response.
    assert answer_all(client, component, q).status_code == 302
    assert Response.objects.count() == 1


def test_answers_without_an_account_need_the_bot_challenge_and_account_holders_are_not_asked(
    client, component, q, participant
):
    component.settings = {"anonymous_answers": True}
    component.save()
    first = client.post(url(component), first_page(q)).content.decode()
    # Without JavaScript, the pages say so before the last one.
    assert "<noscript>" in first and "needs JavaScript" in first and "data-altcha=" not in first
    review = client.post(url(component), second_page(q)).content.decode()
    assert "data-altcha=" in review and "moderation/altcha.js" in review and 'name="altcha"' in review

    missing = client.post(url(component), {"page": "review", "go": "submit"})
    html = missing.content.decode()
    assert missing.status_code == 400 and "needs JavaScript" in html and "Review your answers" in html
    assert not Response.objects.exists()  # nothing saved, the answers kept for the next try
    forged = client.post(url(component), {"page": "review", "go": "submit", "altcha": "e30="})
    assert forged.status_code == 400 and "check that you are not a robot failed" in forged.content.decode()
    payload = solve_page(forged.content.decode())
    assert client.post(url(component), {"page": "review", "go": "submit", "altcha": payload}).status_code == 302
    assert Response.objects.count() == 1
    # The same proof again (another browser replaying it) is refused.
    other = type(client)()
    other.cookies["agora_language"] = "en"
    other.post(url(component), first_page(q))
    other.post(url(component), second_page(q))
    replayed = other.post(url(component), {"page": "review", "go": "submit", "altcha": payload})
    assert replayed.status_code == 400 and "already used" in replayed.content.decode()
    assert Response.objects.count() == 1

    # People with an account are not asked.
    client.force_login(participant)
    client.post(url(component), first_page(q))
    review = client.post(url(component), second_page(q)).content.decode()
    assert "data-altcha=" not in review and "<noscript>" not in review
    assert client.post(url(component), {"page": "review", "go": "submit"}).status_code == 302
    assert Response.objects.filter(respondent=participant).exists()


def test_answers_without_an_account_are_rate_limited(client, component, q, settings):
    component.settings = {"anonymous_answers": True}
    component.save()
    settings.ACCOUNT_RATE_LIMITS = {"survey_answer": "1/10m/ip"}
    assert answer_all(client, component, q).status_code == 302
    other = type(client)()
    other.cookies["agora_language"] = "en"
    response = answer_all(other, component, q)
    assert response.status_code == 429 and "Too many answers" in response.content.decode()
    assert Response.objects.count() == 1


def test_the_cap_on_answers_refuses_the_next_person(client, component, q, participant, organization):
    component.settings = {"max_answers": 1}
    component.save()
    client.force_login(participant)
    answer_all(client, component, q)
    other = factories.UserFactory()
    factories.member_of(other, organization)
    client.force_login(other)
    assert client.get(url(component)).status_code == 302
    with pytest.raises(ValidationError, match="all the answers it takes"):
        services.respond(
            actor=other, component=component, values={q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}}
        )
    assert Response.objects.count() == 1


def test_the_time_window_and_the_phase_close_answers(client, component, q, participant, process):
    client.force_login(participant)
    Survey.objects.update(closes_at=timezone.now() - timedelta(hours=1))
    response = client.get(url(component))
    assert response.status_code == 403 and "The survey closed on" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.respond(actor=participant, component=component, values={})
    Survey.objects.update(closes_at=None, opens_at=timezone.now() + timedelta(days=1))
    assert "The survey opens on" in client.get(url(component)).content.decode()
    Survey.objects.update(opens_at=None)
    phase = factories.PhaseFactory(space=process, is_active=True)
    component.phase_settings = {str(phase.pk): {"answers_enabled": False}}
    component.save()
    assert client.get(url(component)).status_code == 403
    assert not Response.objects.exists()


def test_terms_must_be_accepted(client, component, q, participant, survey):
    Survey.objects.update(terms=tr("<p>Vos réponses sont anonymisées.</p>"))
    client.force_login(participant)
    client.post(url(component), first_page(q))
    review = client.post(url(component), second_page(q)).content.decode()
    assert "Vos réponses sont anonymisées." in review and 'name="accept_terms"' in review
    response = client.post(url(component), {"page": "review", "go": "submit"})
    assert response.status_code == 400 and "Accept the terms of the survey" in response.content.decode()
    assert client.post(url(component), {"page": "review", "go": "submit", "accept_terms": "1"}).status_code == 302
    assert Response.objects.count() == 1


def test_a_file_is_checked_by_its_content(client, component, q, participant):
    client.force_login(participant)
    client.post(url(component), first_page(q))
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"<html><script>x</script></html>", content_type="image/png")
    response = client.post(url(component), {**second_page(q), f"q{q['photo'].pk}": fake})
    assert response.status_code == 400 and "is not an accepted file" in response.content.decode()
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "green").save(buffer, format="PNG")
    photo = SimpleUploadedFile("velo.png", buffer.getvalue(), content_type="image/png")
    assert (
        "Review your answers"
        in client.post(url(component), {**second_page(q), f"q{q['photo'].pk}": photo}).content.decode()
    )
    assert client.post(url(component), {"page": "review", "go": "submit"}).status_code == 302
    stored = Answer.objects.get(question=q["photo"])
    assert stored.file.name.startswith("questionnaires/") and stored.file.name.endswith(".png")


def test_at_a_desk_the_channel_is_recorded(component, q, participant):
    services.respond(
        actor=participant,
        component=component,
        channel=Response.Channel.DESK,
        values={q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}},
    )
    assert Response.objects.get().channel == "desk"
    assert ActionLog.objects.get(verb="surveys.answered").data["channel"] == "desk"


def test_the_confirmation_is_a_task_of_the_response_and_its_email_is_written_once(
    component, q, participant, monkeypatch
):
    """The response's transaction queues the confirmation (one task row); the
    worker writes the e-mail into the outbox, once even if the task runs twice."""
    from types import SimpleNamespace

    from agora.components.surveys import tasks
    from agora.outbox.models import OutgoingEmail

    queued = []
    queue = SimpleNamespace(enqueue=lambda *args, **kwargs: queued.append((args, kwargs)))
    monkeypatch.setattr(services, "send_confirmation", queue)
    values = {q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}}
    with translation.override("en"):
        response, _changed = services.respond(actor=participant, component=component, values=values)
        services.respond(actor=participant, component=component, values=values, answered_before=True)
    assert [(args, kwargs["changed"], kwargs["reading"]) for args, kwargs in queued] == [
        ((response.pk,), False, "en"),
        ((response.pk,), True, "en"),
    ]
    assert not OutgoingEmail.objects.exists()
    args, kwargs = queued[0]
    assert tasks.send_confirmation.call(*args, **kwargs) and tasks.send_confirmation.call(*args, **kwargs)
    email = OutgoingEmail.objects.get()
    assert (email.recipient, email.kind) == (participant.email, "surveys.confirmation")
    assert email.subject == "Thank you for answering “Cycling plan”"
    assert component.get_absolute_url() in email.body_text  # editable: the link to change them
    args, kwargs = queued[1]
    tasks.send_confirmation.call(*args, **kwargs)
    assert OutgoingEmail.objects.count() == 2
    assert OutgoingEmail.objects.latest("pk").subject == "Your answers to “Cycling plan” have been changed"
    # Without the setting, nothing is queued.
    component.settings = {"confirmation_email": False}
    component.save()
    services.respond(actor=participant, component=component, values=values, answered_before=True)
    assert len(queued) == 2


@pytest.mark.parametrize("who", ["anonymous", "unconfirmed", "blocked"])
def test_people_who_may_not_take_part_are_refused(client, component, q, organization, who):
    from django.contrib.auth.models import AnonymousUser

    if who == "anonymous":
        user = AnonymousUser()
    else:
        user = factories.UserFactory(verified=who != "unconfirmed")
        membership = factories.member_of(user, organization)
        if who == "blocked":
            membership.blocked_at = timezone.now()
            membership.save()
        client.force_login(user)
    with pytest.raises(PermissionDenied):
        services.respond(
            actor=user,
            component=component,
            session_key="x",
            values={q["bike"].pk: {"option": option(q["bike"], 1), "other": ""}},
        )
    response = client.post(url(component), first_page(q))
    if who == "anonymous":  # the way to lift the refusal: log in
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert not Response.objects.exists()


def test_a_response_writes_no_row_that_pages_show_and_its_count_adds_up_its_shards(
    component, q, organization, monkeypatch
):
    """Nothing every respondent writes is one shared row: the count of responses
    and the results' counters move in shards drawn at random, and the survey's
    row (shown by pages, hence the global content version of the page cache)
    is not written by a response."""
    draws = iter([2, 9, 2, 9, 4, 4])  # (count, counters) for each response
    monkeypatch.setattr(services.random, "randrange", lambda n: next(draws))
    monkeypatch.setattr(questionnaire_services.random, "randrange", lambda n: next(draws))
    values = {q["bike"].pk: {"option": option(q["bike"], 0), "other": ""}, q["often"].pk: 3}
    people = [factories.UserFactory() for _n in range(4)]
    for person in people:
        factories.member_of(person, organization)
    before = pagecache.current_versions()
    for person in people[:3]:
        services.respond(actor=person, component=component, values=values)
    assert pagecache.current_versions() == before
    survey = Survey.objects.get()
    assert dict(ResponseCount.objects.filter(survey=survey).values_list("shard", "count")) == {2: 2, 4: 1}
    assert answer_count(survey) == 3 and tally(q["bike"], "answered") == 3
    assert set(Tally.objects.filter(question=q["bike"], key="answered").values_list("shard", flat=True)) == {4, 9}

    # With a cap, the shards are added up under the survey's lock: the fourth person is refused.
    component.settings = {"max_answers": 3}
    component.save()
    with pytest.raises(ValidationError) as full:
        services.respond(actor=people[3], component=component, values=values)
    assert full.value.code == "full" and answer_count(survey) == 3 and Response.objects.count() == 3


def test_a_survey_sent_in_one_post_reads_its_questions_once_and_leaves_the_session_alone(
    client, component, q, participant, space_admin, django_assert_max_num_queries, settings
):
    """The questions are read once per process for the questionnaire's version (not
    by every answer), and a one-page survey sent at once writes no draft to the session."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agora.questionnaires.models import Question

    Question.objects.filter(questionnaire=q["bike"].questionnaire, kind="page_break").delete()
    client.force_login(participant)
    client.get(url(component))
    data = {**first_page(q), **second_page(q), "page": "0", "go": "submit"}
    # The answer set's hot path (bench/survey.py): 21 statements in production with the
    # request's own (versions, session, account) and the transaction's; 31 before the
    # confirmation became a task, the response an INSERT ... ON CONFLICT and the page's
    # survey kept per process. Here the confirmation's task is kept by the dummy backend
    # (no row: 20). A new query here costs every respondent.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ContentType.objects.get_for_model(Survey)  # cached by every process after its first log entry
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as queries:
        response = client.post(url(component), data)
    assert response.status_code == 302 and Response.objects.get().respondent == participant
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [text for text in sql if '"questionnaires_question"' in text or '"questionnaires_option"' in text]
    assert not [text for text in sql if "django_session" in text and not text.startswith("SELECT")]
    values = selectors.values_of(Response.objects.get().answer_set, selectors.questions_of(q["bike"].questionnaire))
    assert values[q["km"].pk] == Decimal("35") and values[q["name"].pk] == "Les Prés"
    # An officer's change of the questions is seen at once (a new version of the questionnaire, a new reading).
    questionnaire = q["bike"].questionnaire
    with pagecache.memo_scope():
        assert selectors.questions_shared(questionnaire) is selectors.questions_shared(questionnaire)
        questionnaire_services.update_question(
            actor=space_admin, question=q["name"], fields={"title": tr("Votre quartier")}
        )
        questionnaire.refresh_from_db()
        titles = [question.title for question in selectors.questions_shared(questionnaire)]
    assert tr("Votre quartier") in titles


def test_a_page_reads_the_survey_once_per_settings_version_and_gets_its_own_copy(
    component, survey, space_admin, django_assert_num_queries
):
    """Pages keep the survey per process (agora.core.pagecache.memo); an officer's change is seen at once."""
    import copy

    from agora.components.surveys.selectors import survey_of

    with pagecache.memo_scope():
        first = survey_of(copy.copy(component))
        with django_assert_num_queries(0):
            second = survey_of(copy.copy(component))
        assert second is not first and second.questionnaire is not first.questionnaire
        second.terms = {"en": "Changed on this page only"}
        assert survey_of(copy.copy(component)).terms == survey.terms
    services.update_survey(
        actor=space_admin,
        component=component,
        introduction={},
        terms={"en": "New terms"},
        opens_at=None,
        closes_at=None,
    )
    with pagecache.memo_scope():
        assert survey_of(copy.copy(component)).terms == {"en": "New terms"}


def test_questions_read_before_the_questionnaire_changed_are_read_again(component, q, participant, survey):
    """The page hands the questions it read (no second reading) with the
    questionnaire's version; when the version moved meanwhile, the service reads them again."""
    values = {q["bike"].pk: {"option": option(q["bike"], 0), "other": ""}, q["often"].pk: 3}
    stale = survey.questionnaire.version - 1
    response, _changed = services.respond(
        actor=participant, component=component, values=values, questions=[], version=stale
    )
    stored = selectors.values_of(response.answer_set, selectors.questions_of(survey.questionnaire))
    assert stored[q["often"].pk] == 3


def _png(name="velo.png"):
    import io as bytes_io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = bytes_io.BytesIO()
    Image.new("RGB", (3, 3), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_drafts_upload_older_than_an_hour_is_removed_by_remove_orphan_files_and_asked_again(
    client, component, q, participant, settings, capsys
):
    client.force_login(participant)
    client.post(url(component), first_page(q))
    review = client.post(url(component), {**second_page(q), f"q{q['photo'].pk}": _png()})
    assert "Review your answers" in review.content.decode()
    (draft_file,) = [path for path in (settings.AGORA_PRIVATE_MEDIA_ROOT / "questionnaires").iterdir()]
    name = f"questionnaires/{draft_file.name}"
    # No row names a draft's upload: younger than an hour it is left alone, older it is removed.
    call_command("remove_orphan_files", "--delete")
    assert draft_file.exists() and "0 orphan file(s) removed" in capsys.readouterr().out
    past = time.time() - 2 * 3600
    os.utime(draft_file, (past, past))
    call_command("remove_orphan_files", "--delete")
    out = capsys.readouterr().out
    assert f"private\t{name}" in out and "1 orphan file(s) removed" in out and not draft_file.exists()

    # The person sends: the file is asked again, nothing names a file that is gone.
    refused = client.post(url(component), {"page": "review", "go": "submit"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "The file you sent is no longer kept" in html and "Page 2 of 2" in html
    assert not Response.objects.exists()
    review = client.post(url(component), {**second_page(q), f"q{q['photo'].pk}": _png("encore.png")})
    assert "Review your answers" in review.content.decode()
    assert client.post(url(component), {"page": "review", "go": "submit"}).status_code == 302
    stored = Answer.objects.get(question=q["photo"])
    assert stored.file.storage.exists(stored.file.name)


def test_the_service_refuses_an_answer_naming_a_file_that_is_gone(component, q, participant):
    values = {
        q["bike"].pk: {"option": option(q["bike"], 0), "other": ""},
        q["often"].pk: 3,
        q["photo"].pk: StoredFile("questionnaires/0123456789abcdef0123456789abcdef.png"),
    }
    # In English whatever the language an earlier test's request left active in this thread.
    with translation.override("en"), pytest.raises(AnswersRefused) as refused:
        services.respond(actor=participant, component=component, values=values)
    assert refused.value.by_question == {q["photo"].pk: ["The file you sent is no longer kept: send it again."]}
    assert not Response.objects.exists()
