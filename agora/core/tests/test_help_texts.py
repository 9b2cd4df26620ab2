"""Help texts are plain text in every form, whatever renders it: Django's
form templates ({{ form }}, as_p, as_table, as_ul, as_div, as_field_group)
print them unescaped, so Agora's form renderer (settings.FORM_RENDERER)
escapes them in the bound field; Agora's own field template too."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils.html import format_html

from agora.testing.xss import PAYLOADS, assert_no_live_payload

HOSTILE = [payload for payload in PAYLOADS if "xss-" in payload]


class HostileForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, payload in enumerate(HOSTILE):
            self.fields[f"text{number}"] = forms.CharField(help_text=payload)
            self.fields[f"check{number}"] = forms.BooleanField(help_text=payload, required=False)
            self.fields[f"radio{number}"] = forms.ChoiceField(
                help_text=payload, widget=forms.RadioSelect, choices=[("a", "A")]
            )


@pytest.mark.parametrize(
    "render",
    [
        str,
        lambda form: form.as_p(),
        lambda form: form.as_table(),
        lambda form: form.as_ul(),
        lambda form: form.as_div(),
        lambda form: "".join(field.as_field_group() for field in form),
        lambda form: "".join(render_to_string("accounts/_field.html", {"field": field}) for field in form),
    ],
)
@pytest.mark.parametrize("bound", [False, True])
def test_every_way_of_showing_a_form_escapes_help_texts(render, bound):
    form = HostileForm(data={} if bound else None)
    html = render(form)
    assert "&lt;script&gt;" in html
    assert_no_live_payload(html)


def test_help_texts_built_as_markup_by_code_stay_markup():
    form = forms.Form()
    form.fields["terms"] = forms.BooleanField(help_text=format_html('<a href="{}">{}</a>', "/terms/", "Terms"))
    assert '<a href="/terms/">Terms</a>' in str(form)
