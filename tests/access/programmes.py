"""The access matrix's table for the programmes (see tests/access/__init__.py).

What each programme is, the directories, the clause generator, the fee estimate and the IAP check are public.
Members send requests; `programme_request` is the own MSME's ADR request on the ticket routed to the PCT
division's queue, so the tenant's helpdesk agent and the PCT division's agent both work it. Agency staff,
analysts and platform admins have no request pages (403).
"""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                                        anon own  oth  help agcy anl  dagt adm
    "programmes:index":                  everyone(200),
    "programmes:tiscs":                  everyone(200),
    "programmes:tisc":                   everyone(200),
    "programmes:adr":                    everyone(200),
    "programmes:adr-clause":             everyone(200),
    "programmes:adr-fees":               everyone(200),
    "programmes:research":               everyone(200),
    "programmes:iap":                    everyone(200),
    # The request forms: for the members of an MSME.
    "programmes:tisc-request":           row(302, 200, 200, 403, 403, 403, 403, 403),
    "programmes:adr-request":            row(302, 200, 200, 403, 403, 403, 403, 403),
    "programmes:research-request":       row(302, 200, 200, 403, 403, 403, 403, 403),
    "programmes:iap-request":            row(302, 200, 200, 403, 403, 403, 403, 403),
    "programmes:requests":               row(302, 200, 200, 200, 403, 403, 200, 403),
    # The request is loaded through the rule's rows: those the rule gives no rows find no such request (404);
    # the platform admin, who has no tenant, is refused before (403).
    # Its MSME's member and the agents who work its ticket see it.
    "programmes:request":                row(302, 200, 404, 200, 404, 404, 200, 403),
    # Posted empty: the agents get the form again with its error (400); members may not move the stage.
    "programmes:request-stage":          row(302, 404, 404, 400, 404, 404, 400, 403),
    # Posted: the own member withdraws it (back to the request); nobody else finds it to withdraw.
    "programmes:request-withdraw":       row(302, 302, 404, 404, 404, 404, 404, 403),
    #                                        anon own  oth  help agcy anl  dagt adm
    "api:tisc-list":                     everyone(200),
    "api:tisc-detail":                   everyone(200),
    # Public, asked nothing: a 400 naming the missing parameter, to everyone alike.
    "api:adr-fees":                      everyone(400),
    "api:adr-request-list":              row(401, 200, 200, 200, 403, 403, 200, 403),
    "api:adr-request-detail":            row(401, 200, 404, 200, 403, 403, 200, 403),
    # The ADR request is not another programme's: under their routes it is not found.
    "api:tisc-request-list":             row(401, 200, 200, 200, 403, 403, 200, 403),
    "api:tisc-request-detail":           row(401, 404, 404, 404, 403, 403, 404, 403),
    "api:research-request-list":         row(401, 200, 200, 200, 403, 403, 200, 403),
    "api:research-request-detail":       row(401, 404, 404, 404, 403, 403, 404, 403),
    "api:iap-request-list":              row(401, 200, 200, 200, 403, 403, 200, 403),
    "api:iap-request-detail":            row(401, 404, 404, 404, 403, 403, 404, 403),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "programmes:tisc": {"tisc_pk": "tisc"},
    "programmes:request": {"request_pk": "programme_request"},
    "programmes:request-stage": {"request_pk": "programme_request"},
    "programmes:request-withdraw": {"request_pk": "programme_request"},
    "api:tisc-detail": {"pk": "tisc"},
    "api:adr-request-detail": {"pk": "programme_request"},
    "api:tisc-request-detail": {"pk": "programme_request"},
    "api:research-request-detail": {"pk": "programme_request"},
    "api:iap-request-detail": {"pk": "programme_request"},
}
POST_ONLY: set[str] = {"programmes:request-stage", "programmes:request-withdraw"}
XFAIL: dict[tuple[str, str], str] = {}

# WIPO GREEN: `green_technology` is the own MSME's published technology, `green_need` the other MSME's published
# need, `green_connection` the other MSME's interest in that technology (the own member may accept it).
GREEN_TABLE: dict[str, dict[str, int]] = {
    #                                        anon own  oth  help agcy anl  dagt adm
    "programmes:green": everyone(200),
    "programmes:green-technology": everyone(200),
    "programmes:green-need": everyone(200),
    "programmes:green-mine": row(302, 200, 200, 403, 403, 403, 403, 403),
    "programmes:green-technology-new": row(302, 200, 200, 403, 403, 403, 403, 403),
    "programmes:green-need-new": row(302, 200, 200, 403, 403, 403, 403, 403),
    # Posted: the own member (the provider) accepts and is sent back to its introductions; the other member
    # expressed the interest (its acceptance), so answering again is refused with a message (302 too); nobody
    # else is a side of it (404), and those who may not use the exchange are refused before (403).
    "programmes:green-accept": row(302, 302, 302, 403, 403, 403, 403, 403),
    "programmes:green-decline": row(302, 302, 302, 403, 403, 403, 403, 403),
    "api:green-technology-list": everyone(200),
    "api:green-technology-detail": everyone(200),
    "api:green-need-list": everyone(200),
    "api:green-need-detail": everyone(200),
}
TABLE.update(GREEN_TABLE)
ARGS.update(
    {
        "programmes:green-technology": {"technology_pk": "green_technology"},
        "programmes:green-need": {"need_pk": "green_need"},
        "programmes:green-accept": {"connection_pk": "green_connection"},
        "programmes:green-decline": {"connection_pk": "green_connection"},
        "api:green-technology-detail": {"pk": "green_technology"},
        "api:green-need-detail": {"pk": "green_need"},
    }
)
POST_ONLY |= {"programmes:green-accept", "programmes:green-decline"}

TABLE["programmes:training"] = everyone(200)

# Mentoring: `mentoring_request` is the own MSME's request, waiting for its mentor's answer.
TABLE.update(
    {
        #                                    anon own  oth  help agcy anl  dagt adm
        "programmes:mentoring": row(302, 200, 200, 403, 200, 403, 403, 403),
        "programmes:mentor-new": row(302, 403, 403, 403, 200, 403, 403, 403),
        # Posted with no mentor: back to the page with the error (302). Members and agents of the tenant find no
        # such request to assign (the rule's rows); users with no tenant are refused before (403).
        "programmes:mentoring-assign": row(302, 404, 404, 404, 302, 403, 403, 403),
        # The mentor's signed link: a forged one is refused alike for everyone, signed in or not.
        "programmes:mentoring-answer": everyone(404),
    }
)
ARGS.update(
    {
        "programmes:mentoring-assign": {"mentoringrequest_pk": "mentoring_request"},
        "programmes:mentoring-answer": {"token": "forged-token"},
    }
)
POST_ONLY |= {"programmes:mentoring-assign"}

# The network: intermediaries (public directory, kept by agency staff) and partnership offers (members and staff).
TABLE.update(
    {
        #                                        anon own  oth  help agcy anl  dagt adm
        "programmes:intermediaries": everyone(200),
        "programmes:intermediary-new": row(302, 403, 403, 403, 200, 403, 403, 403),
        # Loaded through the rule's rows: the tenant's others find no such row; users with no tenant are refused.
        "programmes:intermediary-edit": row(302, 404, 404, 404, 200, 403, 403, 403),
        "programmes:partnerships": row(302, 200, 200, 403, 200, 403, 403, 403),
        "programmes:offer-new": row(302, 403, 403, 403, 200, 403, 403, 403),
        "programmes:offer": row(302, 200, 200, 403, 200, 403, 403, 403),
        # Posted empty: back to the list with the error (302).
        "programmes:partnership-decide": row(302, 404, 404, 404, 302, 403, 403, 403),
    }
)
ARGS.update(
    {
        "programmes:intermediary-edit": {"intermediary_pk": "intermediary"},
        "programmes:offer": {"partnershipoffer_pk": "partnership_offer"},
        "programmes:partnership-decide": {"partnershiprequest_pk": "partnership_request"},
    }
)
POST_ONLY |= {"programmes:partnership-decide"}
