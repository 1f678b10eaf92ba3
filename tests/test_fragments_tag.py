"""`{% fragment %}` and `{% hole %}` (apps/core/templatetags/fragments.py), and the layout built on them: the
header and footer are rendered once per language, role, agency and menu entry, and what is each request's
own (the CSRF token, the path) is filled in every time."""

from __future__ import annotations

import re

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from apps.core.roles import Role
from apps.core.templatetags.fragments import forget_fragments
from tests.factories import MembershipFactory, TenantFactory, user_with_role


def render(source: str, **context: object) -> str:
    return engines["django"].from_string("{% load fragments %}" + source).render(context)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __str__(self) -> str:
        self.calls += 1
        return str(self.calls)


SOURCE = '{% fragment "t" part %}[{{ counter }}|{% hole %}{{ live }}{% endhole %}]{% endfragment %}'


@pytest.fixture(autouse=True)
def _fresh():
    forget_fragments()
    yield
    forget_fragments()


def test_a_fragment_is_rendered_once_per_language_and_values_and_its_holes_every_time():
    counter = Counter()
    assert render(SOURCE, counter=counter, part=1, live="a") == "[1|a]"
    assert render(SOURCE, counter=counter, part=1, live="b") == "[1|b]"
    assert render(SOURCE, counter=counter, part=2, live="c") == "[2|c]"
    with translation.override("fr"):
        assert render(SOURCE, counter=counter, part=1, live="d") == "[3|d]"
    assert render(SOURCE, counter=counter, part=1, live="<e>") == "[1|&lt;e&gt;]"  # a hole escapes as before


@override_settings(DEBUG=True)
def test_with_debug_on_nothing_is_kept():
    counter = Counter()
    assert render(SOURCE, counter=counter, part=1, live="a") == "[1|a]"
    assert render(SOURCE, counter=counter, part=1, live="a") == "[2|a]"


@pytest.mark.parametrize(
    "source",
    [
        '{% fragment "t" %}{% block x %}{% endblock %}{% endfragment %}',
        '{% fragment "t" %}{% for i in items %}{% hole %}{{ i }}{% endhole %}{% endfor %}{% endfragment %}',
        '{% fragment "t" %}{% with i=1 %}{% hole %}{{ i }}{% endhole %}{% endwith %}{% endfragment %}',
        '{% fragment "t" %}{% fragment "u" %}{% endfragment %}{% endfragment %}',
    ],
)
def test_what_a_fragment_cannot_hold_is_refused_when_the_template_is_read(source):
    with pytest.raises(TemplateSyntaxError):
        render(source)


def _csrf_inputs(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


@pytest.mark.django_db
def test_the_layout_holds_each_request_s_own_token_and_path_and_each_agency_s_name():
    tenant = TenantFactory(name="Agency «One»")
    other = TenantFactory(name="Agency Two")
    staff = user_with_role(Role.AGENCY_STAFF, tenant)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)

    first = browser.get(reverse("registry:index"), {"page": "1"}).content.decode()
    second = browser.get(reverse("registry:index"), {"verification": "pending"}).content.decode()
    assert 'name="next" type="hidden" value="/registry/?page=1"' in first
    assert 'name="next" type="hidden" value="/registry/?verification=pending"' in second
    # The header's forms (the page's own forms, such as saving the filters, come after it).
    tokens = _csrf_inputs(first.split('id="main"')[0]) + _csrf_inputs(second.split('id="main"')[0])
    # The language form and sign-out hold the request's token, masked anew for each request.
    assert len(tokens) == 4 and tokens[0] == tokens[1] and tokens[2] == tokens[3] and tokens[1] != tokens[2]
    assert "Agency «One»" in first
    assert 'aria-current="page" data-nav="registry:index"' in first

    # The token in a page served from a kept header is valid for this browser.
    answer = browser.post(reverse("set_language"), {"language": "fr", "next": "/", "csrfmiddlewaretoken": tokens[-1]})
    assert answer.status_code == 302

    # Another agency's staff: their own agency's name, never the first one's.
    colleague = user_with_role(Role.AGENCY_STAFF, other)
    browser.force_login(colleague)
    page = browser.get(reverse("registry:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Agency Two" in page and "Agency «One»" not in page

    # A second membership shows the switch link, with this page as its way back.
    MembershipFactory(user=colleague, tenant=tenant, role=Role.AGENCY_STAFF.value)
    browser.force_login(colleague)
    page = browser.get(reverse("registry:import")).content.decode()
    assert f"{reverse('tenants:switch')}?next=/registry/import/" in page
    assert 'aria-current="page" data-nav="registry:import"' in page
