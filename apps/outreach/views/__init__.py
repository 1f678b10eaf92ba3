"""Outreach pages, one module per concern; each lists its own routes in `urlpatterns`."""
