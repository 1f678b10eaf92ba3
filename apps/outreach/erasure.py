"""What erasing an MSME removes from outreach (apps.registry.erasure): the addresses its messages went to."""

from apps.outreach.models import Delivery
from apps.registry.erasure import erased_with_msme

erased_with_msme(Delivery, blank={"address": "", "last_error": ""})
