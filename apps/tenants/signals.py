"""What the tenants app tells the apps above it (they may import it; it may not import them)."""

from django.dispatch import Signal

# A tenant's size-class thresholds changed (the Tenant admin), in that save's transaction: kwarg
# `tenant`. The registry recomputes its MSMEs' stored size classes.
size_thresholds_changed = Signal()
