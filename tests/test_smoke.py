import pytest

pytestmark = pytest.mark.django_db


def test_home_page_explains_the_portal(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"intellectual property" in response.content
