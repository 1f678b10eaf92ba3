"""/api/v1/events/: members and staff list and read; staff create and update (400 naming the field);
`register` registers the member's MSME, or (staff) the MSME named."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from apps.events.models import Event, Registration


def _client(world, who):
    client = APIClient()
    client.force_login(world.actors[who].user)
    return client


def _data(**fields):
    data = {
        "title": "Copyright for creators",
        "kind": "webinar",
        "online_url": "https://meet.example.org/cr",
        "language": "en",
        "time_zone": "UTC",
        "starts_at": "2031-01-10T09:00:00Z",
        "ends_at": "2031-01-10T11:00:00Z",
    }
    data.update(fields)
    return data


def test_members_list_and_read_events(world):
    event = world.event()
    client = _client(world, "msme_own")
    listed = client.get(reverse("api:event-list"))
    assert listed.status_code == 200 and listed.json()["results"][0]["id"] == str(event.pk)
    assert client.get(reverse("api:event-detail", kwargs={"pk": event.pk})).json()["sequence"] == 0
    assert client.post(reverse("api:event-list"), _data(), format="json").status_code == 403


def test_staff_create_and_update(world):
    client = _client(world, "agency")
    created = client.post(reverse("api:event-list"), _data(capacity=10), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    updated = client.patch(
        reverse("api:event-detail", kwargs={"pk": pk}), {"starts_at": "2031-01-10T08:00:00Z"}, format="json"
    )
    assert updated.status_code == 200 and updated.json()["sequence"] == 1
    assert Event.objects.get(pk=pk).capacity == 10


def test_bad_input_is_a_400_naming_the_field(world):
    client = _client(world, "agency")
    for data, field in (
        (_data(ends_at="2031-01-10T08:00:00Z"), "ends_at"),
        (_data(time_zone="Nowhere/Land"), "time_zone"),
        (_data(online_url=""), "online_url"),
        (_data(topics=["nope"]), "topics"),
        (_data(capacity=0), "capacity"),
        (_data(title="a\x00b"), "title"),
    ):
        response = client.post(reverse("api:event-list"), data, format="json")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json() or "non_field_errors" in response.json(), (field, response.json())


def test_register_as_a_member_and_as_staff(world):
    event = world.event(capacity=1)
    member = _client(world, "msme_own").post(reverse("api:event-register", kwargs={"pk": event.pk}), {}, format="json")
    assert member.status_code == 201 and member.json()["status"] == "confirmed"
    staff = _client(world, "agency")
    url = reverse("api:event-register", kwargs={"pk": event.pk})
    assert staff.post(url, {}, format="json").status_code == 400
    waiting = staff.post(url, {"msme": str(world.other_msme.pk)}, format="json")
    assert waiting.status_code == 201 and waiting.json()["status"] == "waiting"
    again = staff.post(url, {"msme": str(world.other_msme.pk)}, format="json")
    assert again.status_code == 400 and "msme" in again.json()
    assert Registration.objects.count() == 2
