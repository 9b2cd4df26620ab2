import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agora.settings",
        "AGORA_DEBUG": "0",
        "AGORA_SECURE": "1",
        "AGORA_BEHIND_PROXY": "1",
        "AGORA_SECRET_KEY": "a-long-random-production-secret-" + "x7Q!" * 12,
        "AGORA_ALLOWED_HOSTS": "participez.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of this process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_development_settings_are_refused_by_check_deploy(tmp_path):
    env = {**os.environ, "AGORA_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"}
    env.pop("AGORA_SECURE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
