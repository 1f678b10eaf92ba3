"""The account's profile page (/accounts/profile/: name and language, the rest of the account linked) and
the e-mails written in the user's language with a branded HTML part."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from apps.core.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_my_account_opens_the_profile_first(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a, email="amina@example.org", full_name="Amina Wanjiru")

    home = client.get("/").content.decode()
    assert 'href="/accounts/profile/">My account</a>' in home
    page = client.get("/accounts/profile/").content.decode()

    assert 'value="Amina Wanjiru"' in page
    assert "amina@example.org" in page
    assert 'href="/accounts/password/change/"' in page and 'href="/accounts/2fa/"' in page
    assert 'href="/accounts/tokens/"' in page
    assert "Agency A" in page and "MSME member" in page


def test_saving_the_profile_keeps_the_name_and_switches_the_language(client, login_as, tenant_a):
    user = login_as(Role.MSME_MEMBER, tenant_a)

    response = client.post("/accounts/profile/", {"full_name": "  Juan dela Cruz ", "language": "es"})

    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Juan dela Cruz", "es")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert '<html lang="es"' in client.get("/accounts/profile/").content.decode()


def test_a_bad_language_is_refused_and_nothing_is_lost(client, login_as, tenant_a):
    user = login_as(Role.MSME_MEMBER, tenant_a, full_name="Old name")

    response = client.post("/accounts/profile/", {"full_name": "New name", "language": "de"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="New name"' in page and 'id="id_language_error"' in page
    user.refresh_from_db()
    assert user.full_name == "Old name" and user.language == ""


def test_a_name_too_long_is_refused(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)
    response = client.post("/accounts/profile/", {"full_name": "x" * 201, "language": ""})
    assert response.status_code == 400


def test_signing_in_brings_back_the_chosen_language(client, tenant_a):
    user = UserFactory(email="nadia@example.org", language="ar")

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_e_mails_are_in_the_user_s_language_with_a_branded_html_part(client):
    user = UserFactory(email="claire@example.org", language="fr")

    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="en")

    message = mail.outbox[-1]
    assert "testserver" not in message.body.split("\n")[0]
    assert message.subject.startswith("[MSME IP portal] ")
    assert "mot de passe" in message.subject.lower() + message.body.lower()
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert '<html lang="fr" dir="ltr">' in html and "MSME IP portal" in html
    assert "/password/reset/key/" in html  # the link, clickable


def test_an_arabic_e_mail_is_right_to_left(client):
    UserFactory(email="omar@example.org", language="ar")
    client.post(reverse("account_reset_password"), {"email": "omar@example.org"})
    html = mail.outbox[-1].alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html


def test_the_sign_up_confirmation_is_branded_and_in_the_page_s_language(client):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a-long-horse-battery-7", "password2": "a-long-horse-battery-7"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    message = mail.outbox[-1]
    first_line = message.body.split("\n")[0]
    with translation.override("es"):
        greeting = translation.gettext("Hello from the MSME IP portal,")
    assert first_line == greeting and greeting != "Hello from the MSME IP portal,"
    assert "testserver" not in first_line
    assert '<html lang="es"' in message.alternatives[0][0]


def test_choosing_the_browser_s_language_again_forgets_the_earlier_choice(client, login_as, tenant_a):
    login_as(Role.MSME_MEMBER, tenant_a)
    client.post("/accounts/profile/", {"full_name": "", "language": "fr"})

    response = client.post("/accounts/profile/", {"full_name": "", "language": ""})

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "" and cookie["max-age"] == 0  # deleted
    page = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es"' in page


def test_an_e_mail_to_a_second_address_is_in_the_user_s_language(client):
    from allauth.account.models import EmailAddress

    from apps.accounts.services import language_for_email

    user = UserFactory(email="first@example.org", language="ar")
    EmailAddress.objects.create(user=user, email="second@example.org", verified=False, primary=False)
    assert language_for_email("Second@Example.org", "en") == "ar"
    assert language_for_email("nobody@example.org", "fr") == "fr"
