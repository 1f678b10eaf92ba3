"""Reading configuration from the environment, in one place."""

import os


def settings_module() -> str:
    """The settings module for this process: production when DJANGO_ENV says so."""
    if os.environ.get("DJANGO_ENV", "").lower() == "production":
        return "portal.settings.production"
    return "portal.settings.local"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
