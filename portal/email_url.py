"""EMAIL_URL (smtp://user:pass@host:port, smtp+tls://, smtp+ssl://, console://, locmem://) to Django settings."""

from urllib.parse import unquote, urlparse

_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in _BACKENDS:
        return {"EMAIL_BACKEND": _BACKENDS[scheme]}
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl", "smtps"}:
        raise ValueError(f"EMAIL_URL: unsupported scheme {scheme!r}")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if scheme in {"smtp+ssl", "smtps"} else 587 if scheme == "smtp+tls" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": scheme in {"smtp+ssl", "smtps"},
    }
