"""Settings of a worker process started by a test (tests/worker_process.py): the test settings, with tasks
really queued on the broker and e-mail written to files the test reads."""

import os

from portal.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["PORTAL_TEST_MAIL_DIR"]
OUTREACH_FILE_DIR = os.environ["OUTREACH_FILE_DIR"]
