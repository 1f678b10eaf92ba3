"""What erasing an MSME removes from the helpdesk (apps.registry.erasure): its tickets' text and contacts, their
messages and attached files, the counselling notes."""

from apps.helpdesk.models import Attachment, CounsellingSession, Message, RequesterTier, Ticket, TicketLink
from apps.registry.erasure import erased_with_msme, keeps_nothing_personal

erased_with_msme(
    Ticket,
    blank={"msme_name": "", "requester_name": "", "requester_email": "", "rating_comment": ""},
    placeholder=("subject", "body"),
)
erased_with_msme(
    Message, path="ticket__msme", blank={"body": "", "author_name": "", "email_fingerprint": "", "changes": {}}
)
erased_with_msme(Attachment, path="ticket__msme", delete=True)
erased_with_msme(CounsellingSession, blank={"notes": ""})
erased_with_msme(CounsellingSession, path="ticket__msme", blank={"notes": ""})
keeps_nothing_personal(RequesterTier, "a service tier")
keeps_nothing_personal(TicketLink, "a link between two tickets, whose text is erased with them")
