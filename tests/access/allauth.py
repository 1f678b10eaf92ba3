"""The access matrix's table for allauth's routes (see tests/access/__init__.py)."""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                             anon own  oth  help agcy anl  dagt adm
    # Signed in already: the sign-in and sign-up pages send on to the portal.
    "account_login":                          row(200, 302, 302, 302, 302, 302, 302, 302),
    "account_logout":                         row(302, 200, 200, 200, 200, 200, 200, 200),  # GET: the "sign out?" form
    "account_inactive":                       everyone(200),
    "account_signup":                         row(200, 302, 302, 302, 302, 302, 302, 302),
    "account_reauthenticate":                 row(302, 200, 200, 200, 200, 200, 200, 200),
    "account_email":                          row(302, 200, 200, 200, 200, 200, 200, 200),
    "account_email_verification_sent":        everyone(200),
    "account_change_password":                row(302, 200, 200, 200, 200, 200, 200, 200),
    "account_set_password":                   everyone(302),  # every user here has a password: to "change"
    "account_reset_password":                 everyone(200),
    "account_confirm_login_code":             everyone(302),  # no login code was asked for
    "account_confirm_email":                  everyone(200),
    "account_reset_password_from_key_done":   everyone(200),
    "account_reset_password_from_key":        everyone(200),
    "account_reset_password_done":            everyone(200),
    "mfa_index":                              row(302, 200, 200, 200, 200, 200, 200, 200),
    # The TOTP steps with no sign-in or reauthentication under way, and enrolment, which asks for the
    # password again first (a forced login is not a recent one).
    "mfa_authenticate":                       everyone(302),
    "mfa_reauthenticate":                     everyone(302),
    "mfa_activate_totp":                      everyone(302),
    # Nobody here has TOTP or recovery codes: nothing to deactivate, view or download.
    "mfa_deactivate_totp":                    row(302, 404, 404, 404, 404, 404, 404, 404),
    "mfa_view_recovery_codes":                row(302, 404, 404, 404, 404, 404, 404, 404),
    "mfa_generate_recovery_codes":            everyone(302),
    "mfa_download_recovery_codes":            row(302, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    # Keys nobody was sent: allauth answers with its friendly "bad link" page.
    "account_confirm_email": {"key": "matrix-unknown-key"},
    "account_reset_password_from_key": {"uidb36": "1", "key": "matrix-unknown-key"},
}
POST_ONLY: set[str] = set()
XFAIL: dict[tuple[str, str], str] = {}
