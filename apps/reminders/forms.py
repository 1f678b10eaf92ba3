from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin
from apps.reminders.models import ReminderSettings


class ReminderSettingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["enabled", "remind_90", "remind_30", "remind_7"]
        labels = {
            "enabled": _("Send me reminders of my business's IP deadlines"),
            "remind_90": _("90 days before"),
            "remind_30": _("30 days before"),
            "remind_7": _("7 days before"),
        }

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
