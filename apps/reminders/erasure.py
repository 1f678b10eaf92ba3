"""What erasing an MSME removes from reminders (apps.registry.erasure): where its reminders were sent."""

from apps.registry.erasure import erased_with_msme, keeps_nothing_personal
from apps.reminders.models import CalendarToken, ReminderDelivery, ReminderSettings

erased_with_msme(ReminderDelivery, blank={"detail": ""}, placeholder=("address",))
keeps_nothing_personal(ReminderSettings, "a member's choices, deleted with the member's link to the MSME")
keeps_nothing_personal(CalendarToken, "a member's calendar token, deleted with the member's link to the MSME")
