"""The action plan as a PDF, in the active language (the fonts, Arabic shaping and right to left: apps.core.pdf)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.pdf import LINE, left_to_right, new_document, paragraph
from apps.plan.engine import action_url
from apps.plan.pages import MsmePlan
from apps.registry.models import MaturityLevel


def render_plan_pdf(plan: MsmePlan, *, base_url: str = "") -> bytes:
    """The plan's PDF; `base_url` (scheme and host) makes the topic links absolute."""
    pdf = new_document(_("IP action plan: %(name)s") % {"name": plan.msme.name})
    paragraph(pdf, _("IP action plan"), size=11, colour=90)
    paragraph(pdf, plan.msme.name, size=18, style="B", after=1)
    level = (
        _("IP maturity level: %(level)s") % {"level": MaturityLevel(plan.level).label}
        if plan.level
        else _("IP maturity level: not assessed yet")
    )
    paragraph(
        pdf,
        _("%(agency)s · generated on %(date)s · %(level)s")
        % {"agency": plan.msme.tenant.name, "date": date_format(plan.generated_on, "DATE_FORMAT"), "level": level},
        size=9,
        colour=90,
        after=4,
    )
    if not plan.actions:
        paragraph(pdf, _("No action for now: keep your IP asset register and your diagnostic up to date."))
    for number, action in enumerate(plan.actions, start=1):
        if pdf.will_page_break(4 * LINE):
            pdf.add_page()
        paragraph(pdf, f"{number}. {action.title}", size=12, style="B", after=0.5)
        if action.deadline:
            paragraph(
                pdf,
                _("Deadline: %(date)s (%(label)s)")
                % {"date": date_format(action.deadline, "DATE_FORMAT"), "label": action.deadline_label},
                style="B",
                colour=150,
            )
        paragraph(pdf, _("Why: %(why)s") % {"why": action.why})
        paragraph(pdf, _("Cost: %(cost)s") % {"cost": action.cost})
        paragraph(
            pdf,
            _("Learn more: %(url)s") % {"url": left_to_right(base_url + action_url(action))},
            size=9,
            colour=90,
            after=3,
        )
    paragraph(
        pdf,
        _(
            "This plan is general guidance worked out from your profile, your IP asset register and your latest "
            "diagnostic. It is not legal advice."
        ),
        size=8,
        colour=110,
    )
    return bytes(pdf.output())
