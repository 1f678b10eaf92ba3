"""The signed per-MSME answer link: it needs no sign-in, shows the form in the MSME's language, stores the
answers once, and refuses a forged or expired link the same way whether or not the MSME exists."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from apps.outreach.links import link_kind
from apps.surveys import links, services
from apps.surveys.models import Response, Survey
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory
from tests.surveys.helpers import answers_for, make_survey

pytestmark = pytest.mark.django_db


def _post(client, url, answers):
    data = {}
    for key, value in answers.items():
        data[key] = value
    return client.post(url, data)


def test_answer_url_is_absolute_and_names_no_ids(survey, msme, settings):
    settings.PORTAL_URL = "https://portal.example.org"
    url = links.answer_url(survey, msme)
    assert url.startswith("https://portal.example.org/surveys/answer/")
    assert str(msme.pk) not in url and msme.pk.hex not in url and survey.pk.hex not in url


def test_the_link_shows_the_form_in_the_msme_s_language_without_sign_in(client, survey, msme):
    response = client.get(links.answer_url(survey, msme))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr"' in body  # the page around the questions in the MSME's language
    assert "What do you need most?" in body and "Very well" in body


def test_posting_stores_the_answers_once_and_a_second_submit_is_refused(client, survey, msme):
    url = links.answer_url(survey, msme)
    answers = answers_for(survey, single=1, multiple=(0, 2), scale=3, text="More workshops")
    first = _post(client, url, answers)
    assert first.status_code == 200 and b'id="answer-done"' in first.content
    with tenant_context(survey.tenant):
        stored = Response.objects.get(survey=survey, msme=msme)
        assert stored.language == "fr"
        assert stored.answers.count() == 5  # a multiple choice keeps a row per choice picked
    again = _post(client, url, answers)
    assert again.status_code == 409
    assert b"already answered" in again.content.lower() or b"d\xc3\xa9j\xc3\xa0" in again.content
    assert client.get(url).status_code == 409
    with tenant_context(survey.tenant):
        assert Response.objects.filter(survey=survey, msme=msme).count() == 1


def test_bad_answers_are_shown_again_with_errors(client, survey, msme):
    url = links.answer_url(survey, msme)
    answers = answers_for(survey)
    single = next(iter(answers))
    answers[single] = ""
    response = _post(client, url, answers)
    assert response.status_code == 400
    assert b'id="form-errors"' in response.content
    with tenant_context(survey.tenant):
        assert not Response.objects.exists()


def test_a_closed_survey_s_link_says_so(client, survey, msme):
    with tenant_context(survey.tenant):
        services.survey_close(survey=survey)
    assert client.get(links.answer_url(survey, msme)).status_code == 410
    assert _post(client, links.answer_url(survey, msme), answers_for(survey)).status_code == 410


def _refusal(response):
    """The status and the page, without what every page has of its own request (the CSRF token, the path in
    the language switcher's `next`)."""
    body = response.content.decode().replace(response.wsgi_request.path, "/PATH/")
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_forged_expired_and_unknown_links_get_the_same_refusal(client, survey, msme, settings):
    with tenant_context(survey.tenant):
        real = links.answer_token(survey, msme)
    unknown_msme = signing.dumps([survey.tenant_id, survey.pk.hex, uuid.uuid4().hex], salt=links.SALT, compress=True)
    other_salt = signing.dumps([survey.tenant_id, survey.pk.hex, msme.pk.hex], salt="unsubscribe", compress=True)
    tampered = real[:-3] + ("aaa" if not real.endswith("aaa") else "bbb")
    answers = [
        _refusal(client.get(reverse("surveys:answer", args=[token])))
        for token in (tampered, unknown_msme, other_salt, "x", "a:b:c")
    ]
    with override_settings(SURVEYS_LINK_MAX_AGE_DAYS=0):
        answers.append(_refusal(client.get(reverse("surveys:answer", args=[real]))))
        answers.append(_refusal(client.post(reverse("surveys:answer", args=[real]), answers_for(survey))))
    assert {status for status, _ in answers} == {404}
    assert len({content for _, content in answers}) == 1  # not a byte differs: the link tells nothing
    with tenant_context(survey.tenant):
        assert not Response.objects.exists()


def test_a_link_of_another_tenant_s_msme_is_refused(client, survey, tenant_b):
    with tenant_context(tenant_b):
        foreign = MsmeFactory()
    # Signed for tenant A's survey and tenant B's MSME: the MSME is not found in A.
    token = signing.dumps([survey.tenant_id, survey.pk.hex, foreign.pk.hex], salt=links.SALT, compress=True)
    assert client.get(reverse("surveys:answer", args=[token])).status_code == 404


def test_the_survey_link_kind_lists_open_surveys_and_builds_links(survey, msme, settings):
    settings.PORTAL_URL = "https://portal.example.org"
    make_survey(status=Survey.Status.DRAFT)
    kind = link_kind("survey")
    assert kind is not None
    assert kind.choices() == [(str(survey.pk), survey.title)]
    assert kind.url_for(str(survey.pk), msme) == links.answer_url(survey, msme)
    preview = kind.url_for(str(survey.pk), None)
    assert preview == f"https://portal.example.org/surveys/{survey.pk}/preview/"
    assert kind.url_for(str(uuid.uuid4()), msme) == ""
    assert kind.url_for("not-an-id", msme) == ""
