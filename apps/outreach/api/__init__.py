"""The outreach API, under /api/v1/."""
