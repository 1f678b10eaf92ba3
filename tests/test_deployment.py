"""What docker compose and the Procfile run must exist: no Docker engine runs here to try them."""

import fnmatch
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
    assert {"web", "worker", "importer", "outreach", "statistics", "mailer", "beat", "migrate"} <= set(services)
    for service in services.values():
        if "command" in service:
            _check_command(service["command"])


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


def test_procfile_beat_keeps_its_schedule_in_the_checkout():
    """Not a shared temporary directory: every checkout on the machine would read and write one file."""
    beat = next(line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("beat:"))
    schedule = next(word for word in shlex.split(beat) if word.startswith("--schedule="))
    path = schedule.removeprefix("--schedule=")
    assert not Path(path).is_absolute() and ".." not in Path(path).parts, path  # honcho runs in the checkout
    ignored = [line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()]
    assert any(fnmatch.fnmatch(path, pattern) for pattern in ignored if pattern and not pattern.startswith("#"))


# --- The database roles: migrations as the owner, everything else as the runtime role ---------


def _owner_url() -> str:
    db = _compose()["services"]["db"]["environment"]
    return f"postgres://{db['POSTGRES_USER']}:"


def test_compose_migrates_as_the_owner_then_grants_the_runtime_role():
    services = _compose()["services"]
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith(_owner_url())
    assert migrate["environment"]["DJANGO_ENV"] == "production"
    _check_command(migrate["command"])
    steps = [part.strip().removeprefix('sh -c "') for part in migrate["command"].split("&&")]
    assert steps[0].startswith("python manage.py migrate")
    assert steps[1].startswith("python manage.py grant_app_role --role portal_app")
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert "migrate" not in migrate["depends_on"]


def test_compose_web_and_workers_connect_as_the_runtime_role_after_the_migrations():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        url = service["environment"]["DATABASE_URL"]
        assert not url.startswith(_owner_url()), f"{name} connects as the tables' owner"
        assert url.startswith("postgres://portal_app:"), name
        assert url.split("@", 1)[1] == services["migrate"]["environment"]["DATABASE_URL"].split("@", 1)[1]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
        assert "manage.py migrate" not in service.get("command", ""), f"{name} migrates as the runtime role"


def test_compose_runtime_password_comes_from_the_environment_with_a_local_default():
    services = _compose()["services"]
    password = services["migrate"]["environment"]["APP_DB_PASSWORD"]
    assert password.startswith("${APP_DB_PASSWORD:-"), "the password is set in .env; the default is for a laptop"
    # Read from the environment, so the password is not in the process list.
    assert "--password-env APP_DB_PASSWORD" in services["migrate"]["command"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith(f"postgres://portal_app:{password}@")
