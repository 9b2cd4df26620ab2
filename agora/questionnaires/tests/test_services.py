"""Building questionnaires and saving answer sets: locks once answered, counters, refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from agora.actionlog.models import ActionLog
from agora.core.translations import tr
from agora.permissions import PermissionDenied, deny, is_organization_admin
from agora.questionnaires import owners, selectors, services
from agora.questionnaires.models import Answer, AnswerSet, Condition, Question, Questionnaire, Tally
from agora.questionnaires.tests.factories import every_type
from agora.spaces.models import Role
from agora.testing import factories

owners.register(
    "tests.owner",
    owners.Owner(
        manage=lambda user, questionnaire: (
            is_organization_admin(user, questionnaire.organization) or deny("Only the organization's administrators.")
        )
    ),
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def built(organization):
    return every_type(organization, owner_type="tests.owner", owner_id=1)


def option(question, position):
    return question.options.get(position=position).pk


def answer(built, extra=None):
    questionnaire, q = built
    values = {
        q["bike"].pk: {"option": option(q["bike"], 0), "other": ""},
        q["often"].pk: 4,
        q["needs"].pk: {"options": [option(q["needs"], 0), option(q["needs"], 1)], "other": ""},
        q["rank"].pk: [option(q["rank"], 2), option(q["rank"], 0), option(q["rank"], 1)],
        q["grid"].pk: {q["grid"].rows.first().pk: [option(q["grid"], 0)]},
        q["km"].pk: Decimal("20"),
    }
    values.update(extra or {})
    return services.save_answers(questionnaire=questionnaire, values=values)


def tally(question, key):
    """The counter (count, total): its shards added up."""
    rows = Tally.objects.filter(question=question, key=key).values_list("count", "total")
    return (sum(count for count, _total in rows), sum(total for _count, total in rows)) if rows else (0, 0)


def test_saving_answers_moves_the_counters_and_changing_them_moves_them_back(built):
    questionnaire, q = built
    first = answer(built)
    answer(built, {q["often"].pk: 2, q["km"].pk: Decimal("10")})
    assert tally(q["bike"], "answered")[0] == 2
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}")[0] == 2
    assert tally(q["often"], "v:4")[0] == 1 and tally(q["often"], "n") == (2, Decimal(6))
    assert tally(q["rank"], f"k:{option(q['rank'], 2)}:1")[0] == 2
    assert tally(q["km"], "n") == (2, Decimal(30))
    assert Answer.objects.filter(answer_set=first, question=q["needs"]).count() == 2

    # The first person changes their mind: no longer a cyclist, "how often" is gone.
    no = {"option": option(q["bike"], 1), "other": ""}
    services.save_answers(
        questionnaire=questionnaire, answer_set=first, values={q["bike"].pk: no, q["why_not"].pk: "Trop de voitures"}
    )
    assert tally(q["bike"], f"o:{option(q['bike'], 0)}")[0] == 1
    assert tally(q["bike"], f"o:{option(q['bike'], 1)}")[0] == 1
    assert tally(q["often"], "answered")[0] == 1 and tally(q["often"], "n") == (1, Decimal(2))
    assert tally(q["km"], "n") == (1, Decimal(10))
    assert selectors.values_of(first, selectors.questions_of(questionnaire)) == {
        q["bike"].pk: no,
        q["why_not"].pk: "Trop de voitures",
    }

    results = {r.question.pk: r for r in selectors.results(questionnaire, selectors.questions_of(questionnaire))}
    assert results[q["bike"].pk].answered == 2
    assert [line.percent for line in results[q["bike"].pk].lines] == [50.0, 50.0, 0.0]
    assert results[q["often"].pk].average == Decimal("2.00")


def test_counters_split_over_shards_add_up_to_what_the_answers_hold(built, monkeypatch):
    """Each answer set moves one shard drawn at random (people answering at the
    same moment seldom wait on the same rows); the results add the shards up,
    exactly, even when a change of answers lands in another shard than the
    answers it replaces (that shard goes below zero)."""
    questionnaire, q = built
    draws = iter([3, 7, 3, 11, 0, 5])
    monkeypatch.setattr(services.random, "randrange", lambda n: next(draws))
    first = answer(built)  # shard 3
    second = answer(built, {q["often"].pk: 2, q["km"].pk: Decimal("10")})  # shard 7
    answer(built)  # shard 3 again
    no = {"option": option(q["bike"], 1), "other": ""}
    services.save_answers(questionnaire=questionnaire, answer_set=first, values={q["bike"].pk: no})  # shard 11
    answer(built)  # shard 0
    services.delete_answers(answer_set=second)  # shard 5
    assert set(Tally.objects.filter(question=q["bike"]).values_list("shard", flat=True)) == {0, 3, 5, 7, 11}
    assert Tally.objects.get(question=q["often"], key="v:4", shard=11).count == -1

    questions = selectors.questions_of(questionnaire)
    from_counters = selectors.tallies_of(questionnaire)
    from_answers = selectors.tallies_among(questions, AnswerSet.objects.filter(questionnaire=questionnaire))
    for question_id, counters in from_answers.items():
        for key, (count, total) in counters.items():
            assert from_counters[question_id][key] == (count, total), (question_id, key)
    # Counters of answers changed away are zero, never missing from the results.
    assert all(
        count == 0
        for question_id, counters in from_counters.items()
        for key, (count, _total) in counters.items()
        if key not in from_answers.get(question_id, {})
    )
    results = {r.question.pk: r for r in selectors.results(questionnaire, questions)}
    assert results[q["bike"].pk].answered == 3
    assert [line.count for line in results[q["bike"].pk].lines] == [2, 1, 0]
    assert results[q["often"].pk].answered == 2 and results[q["often"].pk].average == Decimal("4.00")


def test_refused_answers_write_nothing(built):
    questionnaire, q = built
    with pytest.raises(services.AnswersRefused) as refused:
        answer(built, {q["needs"].pk: {"options": [o.pk for o in q["needs"].options.all()], "other": ""}})
    assert refused.value.by_question == {q["needs"].pk: ["Choose at most 2 options (you chose 3)."]}
    assert not AnswerSet.objects.exists() and not Answer.objects.exists() and not Tally.objects.exists()


def test_deleting_an_answer_set_takes_it_out_of_the_counters(built):
    questionnaire, q = built
    kept = answer(built)
    gone = answer(built)
    services.delete_answers(answer_set=gone)
    assert tally(q["bike"], "answered")[0] == 1 and AnswerSet.objects.get() == kept


def test_officers_build_and_texts_stay_editable_once_answered(built, org_admin):
    questionnaire, q = built
    added = services.add_question(
        actor=org_admin,
        questionnaire=questionnaire,
        kind="single",
        fields={"title": tr("Un casque ?")},
        options=[(None, tr("Oui")), (None, tr("Non"))],
    )
    assert added.position == Question.objects.filter(questionnaire=questionnaire).count() - 1
    assert ActionLog.objects.filter(verb="questionnaires.question_added").exists()
    answer(built)
    services.update_question(
        actor=org_admin,
        question=q["bike"],
        fields={"title": tr("Roulez-vous à vélo ?")},
        options=[(o.pk, tr(f"{o.label['fr']}!"), o.free_text) for o in q["bike"].options.all()],
    )
    q["bike"].refresh_from_db()
    assert q["bike"].title == tr("Roulez-vous à vélo ?") and q["bike"].options.first().label == tr("Oui!")
    with pytest.raises(ValidationError, match="already has answers"):
        services.update_question(actor=org_admin, question=q["bike"], fields={"kind": "multiple"})
    with pytest.raises(ValidationError, match="already has answers"):
        services.update_question(
            actor=org_admin,
            question=q["bike"],
            fields={},
            options=[(None, tr("Nouvelle"))] + [(o.pk, o.label) for o in q["bike"].options.all()],
        )
    with pytest.raises(ValidationError, match="already has answers"):
        services.update_question(actor=org_admin, question=q["often"], fields={"scale_max": 10})
    with pytest.raises(ValidationError, match="already has answers"):
        services.delete_question(actor=org_admin, question=q["km"])
    q["bike"].refresh_from_db()
    assert q["bike"].kind == "single" and q["bike"].options.count() == 3


def test_reorder_duplicate_and_conditions_keep_their_order(built, org_admin):
    questionnaire, q = built
    copy = services.duplicate_question(actor=org_admin, question=q["often"])
    ids = list(Question.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))
    assert ids.index(copy.pk) == ids.index(q["often"].pk) + 1
    assert copy.conditions.get().source_id == q["bike"].pk
    assert copy.title["fr"] == "À quelle fréquence ? (copy)"
    # A question cannot move above the one it depends on.
    with pytest.raises(ValidationError, match="must come before it"):
        services.move_question(actor=org_admin, question=q["often"], direction="up")
    services.move_question(actor=org_admin, question=q["name"], direction="up")
    ids = list(Question.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))
    assert ids.index(q["name"].pk) == ids.index(q["why_not"].pk) - 1
    with pytest.raises(ValidationError):
        services.reorder(actor=org_admin, questionnaire=questionnaire, ids=ids[:-1])
    services.reorder(actor=org_admin, questionnaire=questionnaire, ids=ids[-1:] + ids[:-1])
    assert list(Question.objects.filter(questionnaire=questionnaire).values_list("pk", flat=True))[0] == ids[-1]


def test_conditions_are_checked(built, org_admin):
    questionnaire, q = built
    with pytest.raises(ValidationError, match="comes before it"):
        services.set_conditions(
            actor=org_admin, question=q["needs"], mode="all", conditions=[(q["km"].pk, "above", None, "5")]
        )
    with pytest.raises(ValidationError, match="compare the answer of a number or a scale"):
        services.set_conditions(
            actor=org_admin, question=q["km"], mode="all", conditions=[(q["name"].pk, "above", None, "5")]
        )
    with pytest.raises(ValidationError, match="Choose one of the options"):
        services.set_conditions(
            actor=org_admin,
            question=q["km"],
            mode="all",
            conditions=[(q["bike"].pk, "equals", option(q["needs"], 0), None)],
        )
    services.set_conditions(
        actor=org_admin,
        question=q["km"],
        mode="any",
        conditions=[(q["needs"].pk, "equals", option(q["needs"], 0), None), (q["often"].pk, "above", None, "3")],
    )
    q["km"].refresh_from_db()
    assert q["km"].condition_mode == "any" and q["km"].conditions.count() == 2
    with pytest.raises(ValidationError, match="depending on this one"):
        services.delete_question(actor=org_admin, question=q["needs"])


def test_templates_are_kept_and_copied(built, org_admin, organization):
    questionnaire, q = built
    template = services.save_as_template(actor=org_admin, source=questionnaire, title=tr("Modèle vélo"))
    assert template.is_template and template.questions.count() == questionnaire.questions.count()
    target = Questionnaire.objects.create(organization=organization, owner_type="tests.owner", owner_id=2)
    services.copy_questionnaire(actor=org_admin, source=template, target=target)
    copied = selectors.questions_of(target)
    assert [question.kind for question in copied] == [
        question.kind for question in selectors.questions_of(questionnaire)
    ]
    often = next(question for question in copied if question.title["fr"] == "À quelle fréquence ?")
    condition = often.conditions.get()
    assert condition.source.questionnaire_id == target.pk and condition.option.question.questionnaire_id == target.pk
    # A questionnaire with answers is not replaced.
    answer(built)
    with pytest.raises(ValidationError, match="already has answers"):
        services.copy_questionnaire(actor=org_admin, source=template, target=questionnaire)
    services.delete_template(actor=org_admin, template=template)
    assert not Questionnaire.objects.filter(pk=template.pk).exists()


@pytest.mark.parametrize("who", ["participant", "space_admin_elsewhere", "other_organization_admin"])
def test_people_without_the_right_are_refused_every_building_action(
    built, who, organization, other_organization, participant
):
    questionnaire, q = built
    if who == "participant":
        user = participant
    elif who == "space_admin_elsewhere":
        user = factories.RoleFactory(
            space=factories.SpaceFactory(organization=organization), name=Role.Name.SPACE_ADMIN
        ).user
    else:
        user = factories.UserFactory()
        Role.objects.create(user=user, organization=other_organization, name=Role.Name.ORGANIZATION_ADMIN)
    template = Questionnaire.objects.create(organization=organization, is_template=True, title=tr("Modèle"))
    calls = [
        lambda: services.add_question(
            actor=user, questionnaire=questionnaire, kind="short_text", fields={"title": tr("X")}
        ),
        lambda: services.update_question(actor=user, question=q["bike"], fields={"title": tr("X")}),
        lambda: services.delete_question(actor=user, question=q["name"]),
        lambda: services.move_question(actor=user, question=q["name"], direction="up"),
        lambda: services.reorder(actor=user, questionnaire=questionnaire, ids=[]),
        lambda: services.duplicate_question(actor=user, question=q["name"]),
        lambda: services.set_conditions(actor=user, question=q["name"], mode="all", conditions=[]),
        lambda: services.copy_questionnaire(actor=user, source=template, target=questionnaire),
        lambda: services.save_as_template(actor=user, source=questionnaire, title=tr("X")),
    ]
    if who != "space_admin_elsewhere":  # space admins keep the library
        calls.append(lambda: services.delete_template(actor=user, template=template))
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Question.objects.filter(questionnaire=questionnaire).count() == 12
    assert not Condition.objects.filter(question=q["name"]).exists()
    assert Questionnaire.objects.filter(pk=template.pk).exists()
