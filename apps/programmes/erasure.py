"""What erasing an MSME removes from the programmes (apps.registry.erasure): its requests' details, its WIPO GREEN
technologies and needs (withdrawn), and the contacts of its connections."""

from apps.programmes.models import (
    GreenConnection,
    GreenNeed,
    GreenTechnology,
    GreenTechnologyAsset,
    MentoringRequest,
    PartnershipRequest,
    ProgrammeRequest,
)
from apps.registry.erasure import erased_with_msme, keeps_nothing_personal

erased_with_msme(ProgrammeRequest, blank={"details": {}, "outcome": ""})
erased_with_msme(ProgrammeRequest, path="ticket__msme", blank={"details": {}, "outcome": ""})
erased_with_msme(
    GreenTechnology,
    blank={"ip_held": "", "keywords": "", "is_published": False},
    placeholder=("title", "description"),
)
erased_with_msme(
    GreenConnection,
    path="technology__msme",
    blank={"seeker_contact": "", "provider_contact": "", "message": ""},
    placeholder=("seeker_name",),
)
erased_with_msme(GreenNeed, blank={"keywords": "", "is_published": False}, placeholder=("title", "description"))
erased_with_msme(MentoringRequest, placeholder=("description",))
erased_with_msme(PartnershipRequest, blank={"note": ""}, placeholder=("message",))
keeps_nothing_personal(GreenTechnologyAsset, "a link between a technology and an IP asset, both erased")
