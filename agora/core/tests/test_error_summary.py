"""An error summary counts what it lists: "The form contains 3 errors" above three
entries, each error once (a hidden field's error was listed twice), each linked
to its field, with the language's colon ("Titre : ..." in French)."""

import re

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from agora.core.templatetags.agora import error_summary


class PersonForm(forms.Form):
    name = forms.CharField(label="Name")
    age = forms.IntegerField(label="Age")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        self.add_error("name", "Not a name.")
        raise forms.ValidationError("The whole form is wrong.")


def _form():
    form = PersonForm(data={"name": "", "age": "x", "token": ""})
    assert not form.is_valid()
    return form


def test_every_error_once_in_form_order():
    with translation.override("en"):
        items = [(field.name if field else None, str(error)) for field, error in error_summary(_form())]
    assert items == [
        (None, "The whole form is wrong."),
        ("name", "This field is required."),
        ("name", "Not a name."),
        ("age", "Enter a whole number."),
        (None, "This field is required."),
    ]


def test_the_heading_counts_the_entries_listed():
    with translation.override("en"):
        html = render_to_string("accounts/_form_errors.html", {"form": _form()})
    assert "The form contains 5 errors" in html
    assert html.count("<li>") == 5
    assert '<a href="#id_name">Name: This field is required.</a>' in html


def test_french_puts_a_space_before_the_colon():
    with translation.override("fr"):
        html = render_to_string("components/_admin_form.html", {"form": _form()})
    assert re.search(r'<a href="#id_age">Age[\u00a0 ]: ', html)
