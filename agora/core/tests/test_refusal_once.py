"""A refusal reads once: when an error summary sits above a form, the form
itself no longer repeats the errors of the whole form (agora.core.forms.FormRenderer)."""

from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from agora.backoffice.forms import ErrorSummaryMixin

REFUSAL = "Voting has started: this can no longer change."


class _Form(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(label="Name")
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def _refused():
    form = _Form({"name": "x"})
    assert form.is_valid()
    form.add_error(None, REFUSAL)
    return form


def _render(source, form):
    return Template(source).render(Context({"form": form, "request": RequestFactory().get("/")}))


def test_with_a_summary_the_refusal_is_said_once():
    for summary in ("components/_admin_form.html", "backoffice/_form_errors.html", "accounts/_form_errors.html"):
        html = _render('{% include "' + summary + '" %}{{ form }}', _refused())
        assert html.count(REFUSAL) == 1, (summary, html)
        assert 'class="error-summary"' in html


def test_without_a_summary_the_form_still_says_it():
    assert _render("{{ form }}", _refused()).count(REFUSAL) == 1


def test_field_errors_stay_next_to_their_field():
    form = _Form({"name": ""})
    assert not form.is_valid()
    html = _render('{% include "backoffice/_form_errors.html" %}{{ form }}', form)
    # In the summary (a link to the field) and next to the field: the pattern of accessible forms.
    assert html.count("This field is required.") + html.count("Ce champ est obligatoire.") == 2
