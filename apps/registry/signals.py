"""What the registry tells the apps above it (they may import the registry; it may not import them)."""

from django.dispatch import Signal

# A user registered their own business (apps.registry.views.register_business), inside the request's
# transaction: kwargs `msme`, `request`. The diagnostic claims the visitor's result kept in the session.
msme_self_registered = Signal()
