"""The access matrix's table for the agency staff's helpdesk settings (see tests/access/__init__.py).

Only the tenant's agency staff configure its helpdesk; every other signed-in role is refused (403) before
any row is looked up. `queue` is the agency's; `routing_rule` is the agency's rule sending tickets to the
PCT division's queue (a division's queue is a rule's target, never edited by agency staff).
"""

from tests.access.data import row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                    anon own  oth  help agcy anl  dagt adm
    "helpdesk:settings":             row(302, 403, 403, 403, 200, 403, 403, 403),
    "helpdesk:settings-queue-new":   row(302, 403, 403, 403, 200, 403, 403, 403),
    "helpdesk:settings-queue":       row(302, 403, 403, 403, 200, 403, 403, 403),
    # Posted empty: the rule's form again with its errors (400).
    "helpdesk:settings-rule-new":    row(302, 403, 403, 403, 400, 403, 403, 403),
    "helpdesk:settings-rule":        row(302, 403, 403, 403, 400, 403, 403, 403),
    # No direction: back to the settings with an error.
    "helpdesk:settings-rule-move":   row(302, 403, 403, 403, 302, 403, 403, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "helpdesk:settings-queue": {"queue_pk": "queue"},
    "helpdesk:settings-rule": {"rule_pk": "routing_rule"},
    "helpdesk:settings-rule-move": {"rule_pk": "routing_rule"},
}
POST_ONLY: set[str] = {"helpdesk:settings-rule-new", "helpdesk:settings-rule", "helpdesk:settings-rule-move"}
XFAIL: dict[tuple[str, str], str] = {}
