"""The access matrix's table for /news/ (see tests/access/__init__.py).

`news_post` is the tenant's published news post (open for comments). The pages are for the tenant's MSME
members and agency staff; the staff write, publish and moderate; members comment and follow. Everyone else is
told whom the pages are for (403), before which post (never a 404 that would say whether it exists). The feeds
are public, by the tenant's slug.
"""

from tests.access.data import everyone, row

# fmt: off
TABLE: dict[str, dict[str, int]] = {
    #                            anon own  oth  help agcy anl  dagt adm
    "news:index":            row(302, 200, 200, 403, 200, 403, 403, 403),
    "news:post":             row(302, 200, 200, 403, 200, 403, 403, 403),
    "news:manage":           row(302, 403, 403, 403, 200, 403, 403, 403),
    "news:post_new":         row(302, 403, 403, 403, 200, 403, 403, 403),
    "news:post_edit":        row(302, 403, 403, 403, 200, 403, 403, 403),
    "news:moderation":       row(302, 403, 403, 403, 200, 403, 403, 403),
    # POST-only, empty: publishing a published post changes nothing (back to it); no decision or no comment
    # ticked is sent back to the queue; an empty comment is a 400; following works (back to the page).
    "news:post_publish":     row(302, 403, 403, 403, 302, 403, 403, 403),
    "news:moderate":         row(302, 403, 403, 403, 302, 403, 403, 403),
    "news:comment":          row(302, 400, 400, 403, 403, 403, 403, 403),
    "news:follow_post":      row(302, 302, 302, 403, 403, 403, 403, 403),
    "news:follow_topic":     row(302, 302, 302, 403, 403, 403, 403, 403),
    "news:feed_rss":         everyone(200),
    "news:feed_atom":        everyone(200),
    "news:topic_feed_rss":   everyone(200),
    "news:topic_feed_atom":  everyone(200),
}
# fmt: on
ARGS: dict[str, dict[str, str]] = {
    "news:post": {"post_pk": "news_post"},
    "news:post_edit": {"post_pk": "news_post"},
    "news:post_publish": {"post_pk": "news_post"},
    "news:comment": {"post_pk": "news_post"},
    "news:follow_post": {"post_pk": "news_post"},
    "news:follow_topic": {"topic": "trademarks"},
    "news:feed_rss": {"tenant_slug": "matrix"},
    "news:feed_atom": {"tenant_slug": "matrix"},
    "news:topic_feed_rss": {"tenant_slug": "matrix", "topic": "trademarks"},
    "news:topic_feed_atom": {"tenant_slug": "matrix", "topic": "trademarks"},
}
POST_ONLY: set[str] = {
    "news:post_publish",
    "news:moderate",
    "news:comment",
    "news:follow_post",
    "news:follow_topic",
}
XFAIL: dict[tuple[str, str], str] = {}
