"""Outreach: segments, campaigns and their deliveries on each MSME's channel."""
