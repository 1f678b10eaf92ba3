"""Development: the defaults `make run` uses on a bare machine."""

from portal.env import env_bool
from portal.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
