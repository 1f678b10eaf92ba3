"""What erasing an MSME removes from surveys (apps.registry.erasure): its written answers (its choices stay,
counted in the results)."""

from apps.registry.erasure import erased_with_msme, keeps_nothing_personal
from apps.surveys.models import Answer, Response

erased_with_msme(Answer, path="response__msme", blank={"text": ""})
keeps_nothing_personal(Response, "when and in which language it answered; its written answers are erased")
