"""Development: the defaults `make run` uses on a bare machine.

DEBUG stays off unless asked for (`DEBUG=true make run`): `make run` may be reachable by others, and Django's
debug page shows settings and code to whoever triggers an error. Static files need no DEBUG: WhiteNoise
serves them from the finders (WHITENOISE_USE_FINDERS in base.py)."""

from portal.settings.base import *  # noqa: F403
