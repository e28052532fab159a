"""The webhook notifier retries with backoff; the service notifies each step after commit."""

from __future__ import annotations

import nats
from relief.app.notifier import Notification, WebhookNotifier
from relief.bootstrap import definition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.waiting import eventually

from ..members_feed import Members

NOTE = Notification("e1", "application.approved", "a1", "m1", "zhoushan/dinghai", "2026-11-23")


async def test_the_webhook_is_retried_until_the_receiver_takes_it(receiver):
    notifier = WebhookNotifier(receiver.url, retries=3, backoff_s=0.01)
    assert await notifier.notify(NOTE) is True
    assert receiver.tries == 3  # failed twice, then taken
    assert receiver.received == [
        {
            "event_id": "e1",
            "step": "application.approved",
            "subject": "a1",
            "member_id": "m1",
            "district": "zhoushan/dinghai",
            "on": "2026-11-23",
        }
    ]
    assert receiver.keys == ["e1"]


async def test_the_webhook_gives_up_without_raising(receiver):
    receiver.failures = 10
    notifier = WebhookNotifier(receiver.url, retries=1, backoff_s=0.01)
    assert await notifier.notify(NOTE) is False
    assert receiver.tries == 2


async def test_each_step_of_an_application_is_notified_by_webhook(
    receiver, nats_url, sqlite_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", receiver.url)
    monkeypatch.setenv("RELIEF_WEBHOOK_BACKOFF_S", "0.01")
    monkeypatch.setenv("RELIEF_SECRET", "")
    settings = ServiceSettings(nats_url=nats_url, database_url=sqlite_url, union_data_dir=tmp_path)
    async with service_client(definition(), settings) as api:
        nc = await nats.connect(nats_url)
        try:
            member = await Members(nc.jetstream(), api).register()
        finally:
            await nc.close()
        body = {
            "member_id": member,
            "district": "zhoushan/dinghai",
            "kind": "education",
            "amount": "7700.00",
        }
        application_id = (await api.post("/applications", json=body)).json()["application_id"]
        rejected = await api.post(f"/applications/{application_id}/reject", json={"reason": "x"})
        assert rejected.status_code == 200  # answered whatever the receiver does

        def steps():
            found = [n["step"] for n in receiver.received if n["subject"] == application_id]
            return found if len(found) == 3 else None

        assert await eventually(steps) == [
            "application.drafted",
            "application.submitted",
            "application.rejected",
        ]
        # Only this application's: the session's NATS may hold other tests' intakes, which a
        # relief reading the OUTREACH stream from its start drafts (and notifies) too.
        ours = [n for n in receiver.received if n["subject"] == application_id]
        assert {n["member_id"] for n in ours} == {member}
        assert all(set(n) == set(ours[0]) for n in receiver.received)
