"""A Celery worker in a process of its own, for the tests that kill one (python -m tests.outreach.worker_process).

It runs with the test settings, on the test database and Redis named in the environment, with tasks sent to the
broker (not run in-process), on the database DATABASE_URL names (the parent's test database), SMS and WhatsApp files in OUTREACH_FILE_DIR and e-mail written by Django's file
backend to OUTREACH_TEST_MAIL_DIR. OUTREACH_BATCH_SIZE, OUTREACH_STALE_SENDING_SECONDS and OUTREACH_SEND_SECONDS (how
long a sending task runs before it hands on) may be set.
"""

from __future__ import annotations

import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = os.environ["OUTREACH_TEST_MAIL_DIR"]
    settings.OUTREACH_FILE_DIR = os.environ["OUTREACH_FILE_DIR"]
    settings.OUTREACH_RATE_LIMITS = {"email": 0, "sms": 0, "whatsapp": 0}
    settings.OUTREACH_BATCH_SIZE = int(os.environ.get("OUTREACH_BATCH_SIZE", "100"))
    settings.OUTREACH_STALE_SENDING_SECONDS = int(os.environ.get("OUTREACH_STALE_SENDING_SECONDS", "1"))
    if "OUTREACH_SEND_SECONDS" in os.environ:
        # Short, so that a test sees the hand-off to the next task (e.g. one that fails while Redis is down).
        settings.OUTREACH_SEND_TASK_SECONDS = float(os.environ["OUTREACH_SEND_SECONDS"])
    from portal.celery import app

    app.conf.task_always_eager = False
    app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle"])


if __name__ == "__main__":
    main()
