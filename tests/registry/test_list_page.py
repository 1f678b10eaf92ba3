"""The registry list at scale: a capped count ("more than N"), no DISTINCT, constant queries, and the same
HTML whether the filter form comes from the cache or is rendered afresh."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import lists
from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.registry.factories import MsmeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(login_as, tenant_a):
    return login_as(Role.AGENCY_STAFF, tenant_a)


def make(tenant, count, **fields):
    with tenant_context(tenant):
        return [MsmeFactory(name=f"{fields.pop('prefix', 'M')} {i:03d}", **fields) for i in range(count)]


def without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def queries(client, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("registry:index"), params or {})
        assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_past_the_cap_the_list_says_more_than_and_pages_on_with_next(client, agency, tenant_a, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 30)
    make(tenant_a, 60)
    _, page = queries(client)
    assert "More than 30 MSMEs" in page and "(showing 1\u201325)" in page
    assert "Page 1<" in page and "Page 1 of" not in page
    assert 'rel="next"' in page and ">Last<" not in page
    _, third = queries(client, {"page": 3})
    assert "M 050" in third and "M 059" in third and "(showing 51\u201360)" in third
    assert 'rel="next"' not in third and 'rel="prev"' in third and ">First<" in third


def test_below_the_cap_the_list_counts_exactly(client, agency, tenant_a, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 100)
    make(tenant_a, 60)
    _, page = queries(client)
    assert "60 MSMEs" in page and "Page 1 of 3" in page and ">Last<" in page


def test_the_queries_do_not_grow_with_the_rows_nor_past_the_cap(client, agency, tenant_a, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 40)
    make(tenant_a, 3)
    queries(client)  # the first reads the user's saved filters into the cache (apps.accounts.selectors)
    few, _ = queries(client)
    make(tenant_a, 60, prefix="N", size_class="micro", maturity_level=2)
    many, page = queries(client)
    assert "More than 40 MSMEs" in page
    assert len(many) == len(few)
    filtered, _ = queries(client, {"size_class": ["micro", "small"], "maturity_level": "2"})
    assert len(filtered) == len(few)


def test_a_filtered_list_asks_for_no_distinct(client, agency, tenant_a):
    make(tenant_a, 2, size_class="micro", maturity_level=2)
    sql, _ = queries(client, {"size_class": ["micro", "small"], "maturity_level": "2", "sector_section": "C"})
    listed = [q for q in sql if "registry_msme" in q]
    assert listed and not any("DISTINCT" in q.upper() for q in listed)


def test_rows_show_the_same_labels_and_links_as_before(client, agency, tenant_a):
    (msme,) = make(tenant_a, 1, size_class="small", maturity_level=3)
    _, page = queries(client)
    assert f'<a href="{reverse("registry:detail", args=[msme.pk])}"><bdi>{msme.name}</bdi></a>' in page
    assert f"<td>{msme.get_size_class_display()}</td>" in page
    assert f'<td class="text-nowrap">{msme.get_maturity_level_display()}</td>' in page


def test_the_cached_filter_form_is_the_form_rendered_afresh(client, agency, tenant_a):
    make(tenant_a, 1)
    params = {"q": "M 0", "size_class": "micro", "exports": "true"}
    cache.clear()
    _, fresh = queries(client, params)
    _, cached = queries(client, params)
    assert without_csrf(fresh) == without_csrf(cached)
    assert 'value="micro" id="id_size_class_0" checked' in cached
    client.cookies["django_language"] = "fr"
    _, french = queries(client, params)
    assert french != cached and 'lang="fr"' in french


# The rows as the page's template loop rendered them before apps.registry.views.MSME_ROW: the reference
# the view's rows must equal, value for value and escape for escape.
TEMPLATE_ROWS = """{% load i18n %}{% translate "Pending" as pending_label %}{% translate "Verified" as verified_label %}
{% for msme in rows %}<tr>
<td class="portal-minw-name"><a href="{{ msme.url }}"><bdi>{{ msme.name }}</bdi></a></td>
<td class="text-nowrap"><bdi>{{ msme.registration_number }}</bdi></td>
<td>{{ msme.size_class_label }}</td>
<td class="portal-minw-sector"><bdi>{{ msme.sector_isic_id }}</bdi> <span class="d-block small text-body-secondary text-truncate text-start portal-sector-title" title="{{ msme.sector_isic.title }}" lang="en" dir="ltr">{{ msme.sector_isic.title }}</span></td>
<td class="text-nowrap"><bdi title="{{ msme.region }}">{{ msme.region_label|default:"—" }}</bdi></td>
<td class="text-nowrap">{{ msme.maturity_level_label|default:"—" }}</td>
<td>{% if msme.verification == "pending" %}<span class="badge text-bg-warning">{{ pending_label }}</span>{% else %}<span class="badge text-bg-success">{{ verified_label }}</span>{% endif %}</td>
<td class="text-center">{% if msme.verification == "pending" %}<input class="form-check-input" type="checkbox" name="msme" value="{{ msme.pk }}" aria-label="{% blocktranslate with name=msme.name %}Select {{ name }}{% endblocktranslate %}">{% endif %}</td>
</tr>{% endfor %}"""


def _tags_only(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_rows_are_the_template_loop_s_html(tenant_a, language):
    from django.template import engines
    from django.utils import translation

    from apps.core.lists import rows_html, with_labels, with_urls
    from apps.registry.models import Msme
    from apps.registry.rules import region_names
    from apps.registry.views import MSME_ROW, _msme_list, _msme_rows

    with tenant_context(tenant_a):
        MsmeFactory(name="Quotes \"&\" <tags> 'here'", registration_number="R<1>", region="KE-30", maturity_level=3)
        MsmeFactory(name="Plain", region="", maturity_level=None, verification="verified", size_class="large")
        MsmeFactory(name="Unknown region", region="XX-99", verification="pending")
        # The view's rows (tuples, the sector's title by a subquery); instances with their sector for the loop.
        rows = list(_msme_list(filters={})[1])
        instances = list(Msme.objects.select_related("sector_isic").order_by("name", "id"))
    assert [row[0] for row in rows] == [msme.pk for msme in instances]
    with translation.override(language):
        with_labels(instances, Msme, "size_class", "maturity_level")
        with_urls(instances, "registry:detail")
        names = dict(region_names(tenant_a.country, language))
        for msme in instances:
            msme.region_label = names.get(msme.region, msme.region)
        expected = engines["django"].from_string(TEMPLATE_ROWS).render({"rows": instances})
        assert _tags_only(rows_html(MSME_ROW, _msme_rows(rows, tenant_a.country))) == _tags_only(expected)


def test_the_list_names_regions_in_the_user_s_language():
    """The region's name comes from the table the filter's select uses: "A Coruña [La Coruña]" in English,
    "La Corogne" in French; a code the country does not have is shown as it is."""
    from django.utils import translation

    from apps.registry.views import _msme_rows

    key = uuid.uuid4()
    rows = [(key, "A", "R1", "micro", "0111", "Growing", "ES-C", 2, "verified")]
    shown = {}
    for language in ("en", "fr"):
        with translation.override(language):
            shown[language] = next(_msme_rows(rows, "ES"))
    assert shown["en"][0].endswith(f"/{key}/")
    assert shown["en"][7:9] == ("ES-C", "A Coruña [La Coruña]")
    assert shown["fr"][7:9] == ("ES-C", "La Corogne")
    with translation.override("en"):
        unknown = next(_msme_rows([(key, "A", "R1", "micro", "0111", "T", "XX-99", None, "pending")], "ES"))
    assert unknown[7:12] == ("XX-99", "XX-99", "—", "warning", "Pending")
