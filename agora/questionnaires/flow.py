"""Answering a questionnaire page by page, with or without JavaScript.

What the person typed is kept in their session between pages (a draft:
the fields as posted, and the files already checked and stored), so the
pages work as plain forms: "Next page" checks the page, "Previous page"
keeps what was typed without checking, the review page lists every answer,
"Send" checks everything again (the conditions on the server) and hands the
values to the owner's service. The owner's view does:

    flow = Flow(request, questionnaire, key=f"survey:{survey.pk}", initial=values_of_earlier_answers)
    outcome = flow.post() if request.method == "POST" else flow.show(page)
    if outcome.values is not None:
        ... call the service with outcome.values; on AnswersRefused: flow.refused(error) ...
"""

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agora.core.files import detect, private_storage, storage_errors
from agora.core.translations import translated
from agora.questionnaires import answers, conditions, rendering, selectors
from agora.questionnaires.models import Question


@dataclass
class Page:
    items: list
    page_index: int
    page_count: int
    review: bool  # a review page comes after the last page
    submit_label: str
    errors: bool = False
    known: dict = field(default_factory=dict)
    section: str = ""

    @property
    def page_number(self):
        return self.page_index + 1

    @property
    def is_last(self):
        return self.page_index == self.page_count - 1

    @property
    def steps(self):
        return self.page_count + (1 if self.review else 0)


@dataclass
class Outcome:
    page: Page | None = None  # a page to show
    review: list | None = None  # the review page: [{"answers": [(question, text)]}]
    values: dict | None = None  # checked values to save

    @property
    def is_final(self) -> bool:
        """The step that sends the answers (the review page, or the last page when
        there is none): where the owner's own fields (terms, consent) are shown."""
        return self.review is not None or (self.page is not None and self.page.is_last and not self.page.review)


class Flow:
    def __init__(
        self, request, questionnaire, *, key: str, initial: dict | None = None, questions=None, submit_label: str = ""
    ):
        self.request = request
        self.questionnaire = questionnaire
        self.key = f"questionnaire-draft:{key}"
        self.questions = questions if questions is not None else selectors.questions_of(questionnaire)
        self.pages = selectors.pages(self.questions)
        self.submit_label = submit_label or _("Send my answers")
        draft = request.session.get(self.key)
        # Whether the session was to be saved before this flow first wrote its draft there (None:
        # the session held the draft already, or no draft was written yet).
        self._modified_before_draft: bool | None = None if self.key in request.session else False
        self._draft_written = False
        if not isinstance(draft, dict) or draft.get("questionnaire") != questionnaire.pk:
            raw, stored = answers.as_fields(self.questions, initial or {})
            draft = {
                "questionnaire": questionnaire.pk,
                "raw": raw,
                "stored": {str(pk): name for pk, name in stored.items()},
            }
        self.draft = draft
        self.lost = self._forget_lost_files()

    def _forget_lost_files(self) -> set[int]:
        """A draft's uploads are files no row names yet: `manage.py remove_orphan_files`
        removes them once they are an hour old (docs/security.md). The questions
        whose file is gone are asked again ("send it again"), never saved
        naming a file that no longer exists."""
        storage = private_storage()
        lost = set()
        for pk, name in list(self.draft["stored"].items()):
            try:
                gone = not storage.exists(name)
            except storage_errors():
                gone = False  # the storage cannot tell now: the service checks again
            if gone:
                del self.draft["stored"][pk]
                lost.add(int(pk))
        if lost:
            self._save_draft()
        return lost

    # --- the draft ---------------------------------------------------------------------------

    @property
    def raw(self) -> dict:
        return self.draft["raw"]

    @property
    def stored(self) -> dict:
        return {int(pk): name for pk, name in self.draft["stored"].items()}

    def _save_draft(self):
        if not self._draft_written and self._modified_before_draft is not None:
            self._modified_before_draft = self.request.session.modified
        self._draft_written = True
        self.request.session[self.key] = self.draft

    def forget(self):
        self.request.session.pop(self.key, None)
        if self._draft_written and self._modified_before_draft is False:
            # The draft lived only in this request (a one-page form sent at once): the
            # session is left as it was, not written again for nothing (three queries).
            self.request.session.modified = False

    def values(self) -> dict:
        """The answers the draft holds (what can be read), hidden questions dropped."""
        values, _errors = answers.parse(self.questions, self.raw, stored=self.stored)
        visible = conditions.visible_ids(self.questions, values)
        return {pk: value for pk, value in values.items() if pk in visible}

    # --- pages -------------------------------------------------------------------------------

    @property
    def review_enabled(self) -> bool:
        return len(self.pages) > 1

    def _clamp(self, index) -> int:
        try:
            index = int(index)
        except (TypeError, ValueError):
            index = 0
        return max(0, min(index, len(self.pages) - 1))

    def page(self, index, errors=None) -> Page:
        index = self._clamp(index)
        questions = self.pages[index]
        values = self.values()
        items = rendering.page_items(self.questions, questions, self.raw, self.stored, errors or {}, values)
        others = {pk: value for pk, value in values.items() if pk not in {q.pk for q in questions}}
        section = next((translated(q.title) for q in questions if q.kind == Question.Kind.SECTION), "")
        return Page(
            items,
            index,
            len(self.pages),
            self.review_enabled,
            self.submit_label,
            errors=any(item.errors for item in items),
            known=rendering.known_answers(self.questions, others),
            section=section,
        )

    def show(self, index=0) -> Outcome:
        if index == "review" and self.review_enabled:
            return Outcome(review=self._review())
        return Outcome(page=self.page(index))

    def _review(self) -> list:
        values = self.values()
        visible = conditions.visible_ids(self.questions, values)
        found = []
        for questions in self.pages:
            shown = [
                (q, rendering.readable(q, values.get(q.pk))) for q in questions if not q.is_layout and q.pk in visible
            ]
            found.append({"answers": shown})
        return found

    def _check(self, only=None) -> dict:
        return self._checked(only)[0]

    def _checked(self, only=None) -> tuple[dict, dict]:
        """(errors, values kept) of the draft: one parse and one check (the errors of
        a page are those of the whole draft on its questions)."""
        values, errors = answers.parse(self.questions, self.raw, stored=self.stored)
        kept, problems = answers.check(self.questions, values, only=only, hidden_answers="drop")
        for pk, messages in problems.items():
            if pk not in errors and (only is None or pk in only):
                errors[pk] = messages
        if self.lost:
            visible = conditions.visible_ids(self.questions, values)
            for pk in self.lost & visible:
                if pk not in values and (only is None or pk in only):
                    errors[pk] = [
                        _(
                            "The file you sent is no longer kept (files of unfinished answers are kept for an hour): send it again."
                        )
                    ]
        if only is not None:
            errors = {pk: messages for pk, messages in errors.items() if pk in only}
        return errors, kept

    def _first_page_with(self, errors) -> int:
        for index, questions in enumerate(self.pages):
            if any(q.pk in errors for q in questions):
                return index
        return 0

    def _merge(self, index) -> dict:
        """What the page posted goes into the draft; uploads are checked and stored now."""
        post, errors = self.request.POST, {}
        for question in self.pages[index]:
            if question.is_layout:
                continue
            if question.kind == Question.Kind.FILE:
                upload = self.request.FILES.get(f"q{question.pk}")
                if upload:
                    problem = answers.check_file(upload)
                    if problem:
                        errors[question.pk] = [problem]
                    else:
                        try:
                            self.draft["stored"][str(question.pk)] = _store(upload)
                            self.lost.discard(question.pk)
                        except ValidationError as error:
                            errors[question.pk] = error.messages
                continue
            for name in answers.field_names(question):
                given = [value for value in post.getlist(name) if value.strip()]
                if given:
                    self.raw[name] = given
                else:
                    self.raw.pop(name, None)
        self._save_draft()
        return errors

    def post(self) -> Outcome:
        go = self.request.POST.get("go", "next")
        posted_page = self.request.POST.get("page", "0")
        if posted_page == "review":
            if go.startswith("page:"):
                return Outcome(page=self.page(go.removeprefix("page:")))
            return self._final()
        index = self._clamp(posted_page)
        upload_errors = self._merge(index)
        if go == "back":
            return Outcome(page=self.page(index - 1))
        page_ids = {q.pk for q in self.pages[index]}
        if go == "next" and index < len(self.pages) - 1:
            errors = {**self._check(only=page_ids), **upload_errors}
            return Outcome(page=self.page(index, errors) if errors else self.page(index + 1))
        # The page's errors are the whole draft's on its questions: checked once.
        checked = self._checked()
        errors = {**{pk: m for pk, m in checked[0].items() if pk in page_ids}, **upload_errors}
        if errors:
            return Outcome(page=self.page(index, errors))
        if self.review_enabled and go != "submit":
            if checked[0]:
                return Outcome(page=self.page(self._first_page_with(checked[0]), checked[0]))
            return Outcome(review=self._review())
        return self._final(checked)

    def _final(self, checked: tuple[dict, dict] | None = None) -> Outcome:
        errors, kept = checked or self._checked()
        if errors:
            return Outcome(page=self.page(self._first_page_with(errors), errors))
        return Outcome(values=kept)

    def refused(self, by_question: dict) -> Outcome:
        """The service refused the answers (the questionnaire changed meanwhile ...): back to the page."""
        return Outcome(page=self.page(self._first_page_with(by_question), by_question))


def _store(upload) -> str:
    """An upload of a draft, stored where answers' files are, under a random
    name with the type found in its bytes (agora.core.files)."""
    found = detect(upload)
    name = f"questionnaires/{secrets.token_hex(16)}{found.extension if found else '.bin'}"
    try:
        upload.seek(0)
        return private_storage().save(name, upload)
    except storage_errors() as error:
        raise ValidationError(_("The file could not be stored, try again later; your text was kept.")) from error
