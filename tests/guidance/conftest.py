"""Fixtures of the guidance tests. `topic_content`: a small topic content directory (topic_content.py)."""

from tests.guidance.topic_content import topic_content  # noqa: F401
