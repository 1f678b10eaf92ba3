"""Messages per second per channel, shared by every worker through a counter per second in the cache (Redis).

Each worker adds what it is about to send to the counter of the current second and waits for the next
second for what the limit did not grant. While Redis is down the counter cannot be shared: each worker
then paces itself at the channel's limit on its own, which keeps sending going (slower or, with several
workers, a few times faster than the limit) instead of stopping it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from apps.core.cache_keys import global_cache_key

logger = logging.getLogger(__name__)


def limit_for(channel: str) -> int:
    return int(settings.OUTREACH_RATE_LIMITS.get(channel, 0) or 0)


def wait_for_slots(
    channel: str,
    count: int,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once `count` messages may be sent on `channel` without passing its limit."""
    per_second = limit_for(channel)
    remaining = count
    while per_second > 0 and remaining > 0:
        now = clock()
        second = int(now)
        key = global_cache_key("outreach", "rate", channel, str(second))
        try:
            cache.add(key, 0, timeout=5)
            used = cache.incr(key, remaining)
        except Exception as error:
            logger.warning("outreach rate limit without its shared counter (%s); pacing locally", error)
            sleep(remaining / per_second)
            return
        before = used - remaining
        granted = max(0, min(remaining, per_second - before))
        remaining -= granted
        if remaining:
            sleep(max(0.0, second + 1 - clock()))
