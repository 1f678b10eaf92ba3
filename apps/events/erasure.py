"""What erasing an MSME removes from events (apps.registry.erasure): the names and addresses registered for it,
and its feedback."""

from apps.events.models import Feedback, Registration
from apps.registry.erasure import erased_with_msme

erased_with_msme(Registration, blank={"email": ""}, placeholder=("name",))
erased_with_msme(Feedback, path="registration__msme", blank={"comment": ""})
