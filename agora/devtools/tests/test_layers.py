"""The layer check (issue 15): the code breaks no rule beyond the listed known
breaches, and the check does catch an upward import, a component reaching into
another one's internals and a ring of modules."""

from agora.devtools import layers


def test_no_new_breach_and_no_mended_one_still_listed(capsys):
    assert layers.main([]) == 0, capsys.readouterr().out


def _package(tmp_path, files):
    root = tmp_path / "agora"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in [root, *[p for p in root.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    return root


def test_the_check_catches_each_kind_of_breach(tmp_path):
    root = _package(tmp_path, {
        "core/views.py": "from agora.spaces.models import Space\n",  # the ground importing upward
        "components/budgets/services.py": "def f():\n    from agora.components.proposals import models\n",
        "components/budgets/api.py": "",
        "components/proposals/models.py": "",
        "components/proposals/views.py": "from agora.components.budgets import api\n",  # allowed
        "spaces/models.py": "",
        "tally/rules.py": "from agora.tally import mes_fast\n",
        "tally/mes_fast.py": "from agora.tally.rules import _Q\n",
    })
    found, problems = layers.breaches(root)
    assert found == {
        "agora.core.views -> agora.spaces.models",
        "agora.components.budgets.services -> agora.components.proposals.models",
        "ring agora.tally.mes_fast agora.tally.rules",
        "cycle agora.components.budgets <-> agora.components.proposals",  # api.py both ways is still a cycle
    }
    assert problems == []


def test_an_app_without_a_layer_is_reported(tmp_path):
    root = _package(tmp_path, {"newthing/models.py": "from agora.core import models\n"})
    found, problems = layers.breaches(root)
    assert "agora.newthing.models: its app has no layer in agora/devtools/layers.py" in problems
