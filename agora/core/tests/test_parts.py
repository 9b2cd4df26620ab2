"""The page parts (core/templates/parts/, docs/design.md) and their tags: the
icon sprite holds every icon the code names, icons are hidden from assistive
technologies, and each part says in words what its picture or colour says."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from agora.core.icons import ICONS

AGORA = Path(__file__).resolve().parents[2]
SPRITE = AGORA / "core" / "static" / "agora" / "icons.svg"


def render(source, **context):
    return Template(source).render(Context(context))


def test_the_sprite_holds_exactly_the_icons_listed_with_the_licence_beside_it():
    symbols = re.findall(r'<symbol id="([a-z0-9-]+)" viewBox="0 0 24 24">', SPRITE.read_text())
    assert sorted(symbols) == sorted(ICONS)
    assert "ISC License" in (SPRITE.parent / "icons-LICENSE.txt").read_text()


def test_every_icon_a_template_names_is_in_the_sprite():
    named = set()
    for path in AGORA.glob("**/templates/**/*.html"):
        named |= set(re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert named, "no {% icon %} found at all"
    assert named <= set(ICONS), sorted(named - set(ICONS))


def test_an_icon_is_hidden_and_comes_from_the_sprite():
    html = render('{% icon "search" %}')
    assert html == (
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="/static/agora/icons.svg#search"></use></svg>'
    )
    assert 'class="icon icon-large"' in render('{% icon "inbox" size="large" %}')
    with pytest.raises(ValueError):
        render('{% icon "serach" %}')


def test_breadcrumbs_link_all_but_the_current_page():
    html = render('{% breadcrumbs "Processes" "/processes/" "" "/nowhere/" title %}', title="Budget <2027>")
    assert '<a href="/processes/">Processes</a>' in html
    assert "/nowhere/" not in html  # a step without a name (no group) is left out
    assert '<span aria-current="page">Budget &lt;2027&gt;</span>' in html


def test_the_stepper_marks_past_current_and_coming_phases():
    phases = [
        SimpleNamespace(title={"fr": name}, start_date=None, end_date=None, is_active=name == "Vote")
        for name in ("Idées", "Vote", "Résultats")
    ]
    html = render("{% phase_stepper phases %}", phases=phases)
    assert re.findall(r'<li class="is-(\w+)"', html) == ["past", "active", "future"]
    assert html.count('aria-current="step"') == 1
    none_active = render("{% phase_stepper phases %}", phases=phases[:1] + phases[2:])
    assert re.findall(r'<li class="is-(\w+)"', none_active) == ["future", "future"]


def test_a_chart_shows_its_figures_as_text_and_as_a_table():
    rows = [("Parc", 300, "300 votes"), ("École", 150, "150 votes", True), ("Rue", 0, "0 vote")]
    html = render('{% bar_chart "Votes" rows chart_id="c1" %}', rows=rows)
    assert re.findall(r'class="chart-fill[^"]*" x="0" y="0" width="([\d.]+)%"', html) == ["100.0", "50.0", "0.0"]
    assert "chart-fill chart-fill-accent" in html
    assert html.count('aria-hidden="true"') == 3  # the bars; the words and the table are read
    assert '<th scope="row">École</th><td class="number">150 votes</td>' in html
    assert "0 vote" in render('{% bar_chart "Votes" rows %}', rows=[("Rue", 0, "0 vote")])  # no division by zero


def test_counters_leave_out_pairs_without_words():
    html = render(
        '{% counters "thumbs-up" a "message-square" b as c %}{% for i, w in c %}[{{ i }}:{{ w }}]{% endfor %}',
        a="3 supports",
        b="",
    )
    assert html == "[thumbs-up:3 supports]"


def test_a_card_names_its_call_to_action_and_escapes_what_people_typed():
    html = render(
        '{% include "parts/card.html" with url="/x/" title=title cta_url="/go/" cta_label="Vote" %}',
        title="<b>Parc</b>",
    )
    assert '<a href="/x/">&lt;b&gt;Parc&lt;/b&gt;</a>' in html
    assert '<span>Vote<span class="visually-hidden"> — &lt;b&gt;Parc&lt;/b&gt;</span></span>' in html


def test_an_alert_says_its_kind_in_words():
    with translation.override("fr"):
        html = render('{% include "parts/alert.html" with kind="warning" title="Closed" %}')
    assert 'class="visually-hidden">Attention\u00a0: </span>Closed' in html and "#triangle-alert" in html


def test_capture_keeps_a_rendered_piece_escaped_for_a_part():
    html = render(
        '{% capture as badges %}{% include "parts/badge.html" with label=typed kind="ok" %}{% endcapture %}'
        '[{% include "parts/card.html" with url="/x/" title="T" badges=badges %}]',
        typed="<script>",
    )
    assert '<p class="card-meta"><span class="badge badge-ok">&lt;script&gt;</span>' in html
    assert html.startswith("[<li")  # nothing written where it was captured
    with pytest.raises(Exception):
        render("{% capture badges %}x{% endcapture %}")


def test_site_url_is_the_reversed_url():
    from django.urls import reverse

    for name in ("home", "search", "spaces:processes", "accounts:terms", "account_login"):
        assert render("{% site_url name %}", name=name) == reverse(name)
