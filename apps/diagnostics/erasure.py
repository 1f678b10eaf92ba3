"""Erasing an MSME keeps its diagnostic results (apps.registry.erasure): answers about its IP practices, counted
in the statistics, with nothing that names it."""

from apps.diagnostics.models import Assessment
from apps.registry.erasure import keeps_nothing_personal

keeps_nothing_personal(Assessment, "answers about IP practices and their scores, kept for the statistics")
