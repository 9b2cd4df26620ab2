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
    root = _package(
        tmp_path,
        {
            "core/views.py": "from agora.spaces.models import Space\n",  # the ground importing upward
            "components/budgets/services.py": "def f():\n    from agora.components.proposals import models\n",
            "components/budgets/api.py": "",
            "components/proposals/models.py": "",
            "components/proposals/views.py": "from agora.components.budgets import api\n",  # allowed
            "spaces/models.py": "",
            "tally/rules.py": "from agora.tally import mes_fast\n",
            "tally/mes_fast.py": "from agora.tally.rules import _Q\n",
        },
    )
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


def test_an_import_inside_a_function_needs_a_reason(tmp_path):
    root = _package(
        tmp_path,
        {
            "core/models.py": "",
            "core/icons.py": "",
            "core/views.py": (
                "def bare():\n"
                "    from agora.core import models\n"  # refused: no reason
                "def nested(flag):\n"
                "    if flag:\n"
                "        from .icons import ICONS\n"  # relative, in a block: refused
                "class Page:\n"
                "    def render(self):\n"
                "        import agora.core.icons\n"  # a method: refused
                "def given():\n"
                "    from agora.core import icons  # local: slow to import, one rare page\n"
                "def above():\n"
                "    # local: slow to import, only the exports need them\n"
                "    from agora.core import icons\n"
                "    from agora.core import models\n"  # shares the reason above
                "def third_party():\n"
                "    import json\n"  # not an agora module: free
            ),
            "core/apps.py": "class CoreConfig:\n    def ready(self):\n        from agora.core import models\n",
            "core/tests/test_views.py": "def test_x():\n    from agora.core import models\n",
            "core/test_pages.py": "def test_y():\n    from agora.core import models\n",
        },
    )
    assert layers.local_imports(root) == {
        "local agora.core.views.bare -> agora.core.models",
        "local agora.core.views.nested -> agora.core.icons",
        "local agora.core.views.Page.render -> agora.core.icons",
    }
