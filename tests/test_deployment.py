"""What docker compose and the Procfile run must exist: no Docker engine runs here to try them."""

import importlib
import re
import shlex
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_web_worker_beat_postgres_and_redis():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def _check_command(command: str) -> None:
    for part in re.split(r"&&", command):
        words = shlex.split(part.strip().removeprefix('sh -c "').rstrip('"'))
        if not words:
            continue
        if words[0] == "gunicorn":
            module, _, attr = words[1].partition(":")
            assert hasattr(importlib.import_module(module), attr or "application")
        elif words[0] == "celery":
            assert words[1:3] == ["-A", "portal"]
            assert words[3] in {"worker", "beat"}
            assert importlib.import_module("portal.celery").app.main == "portal"
        elif words[:2] == ["python", "manage.py"] or (words[0].endswith("python") and words[1] == "manage.py"):
            assert words[2] in get_commands(), f"manage.py {words[2]} does not exist"
        else:
            raise AssertionError(f"unexpected command {words[0]!r}")


def test_compose_commands_exist():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        _check_command(services[name]["command"])


def test_dockerfile_command_and_build_steps_exist():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD \[(.*)\]$", dockerfile, re.M).group(1)
    _check_command(" ".join(word.strip().strip('"') for word in cmd.split(",")))
    for command in re.findall(r"python manage\.py (\w+)", dockerfile):
        assert command in get_commands(), command
    assert "npm ci" in dockerfile and "package-lock.json" in dockerfile


def test_procfile_commands_exist():
    for line in (ROOT / "Procfile.dev").read_text().splitlines():
        _name, _, command = line.partition(":")
        command = command.strip().replace(".venv/bin/", "")
        command = re.sub(r"\$\{[^}]*\}", "x", command)
        if command.startswith("python manage.py runserver"):
            assert "runserver" in get_commands()
        else:
            _check_command(command)


def test_web_and_worker_share_the_private_uploads():
    compose = _compose()
    services = compose["services"]
    assert "private-media:/app/private-media" in services["web"]["volumes"]
    assert services["worker"]["volumes"] == services["web"]["volumes"]
    assert services["web"]["environment"]["PRIVATE_MEDIA_ROOT"] == "/app/private-media"
    assert "private-media" in compose["volumes"] and "media" not in compose["volumes"]
    # The image makes the directory, so that a new named volume is owned by the unprivileged user.
    assert "mkdir -p /app/private-media" in (ROOT / "Dockerfile").read_text()
