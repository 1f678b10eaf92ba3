"""Deadline reminders: IP asset deadline reminders and private calendar feeds."""
