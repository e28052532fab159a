"""Feeding the notifier from relief's own log, after commit: a command never waits for (or
fails because of) a notification. At least once: the checkpoint moves after sending."""

from __future__ import annotations

import asyncio
import logging

from union_events.events import RecordedEvent
from union_events.store import EventStore

from .notifier import Notification, Notifier

log = logging.getLogger("relief.notifier")
CHECKPOINT = "notifier"
_STEPS = {
    "union.relief.application.drafted.v1": "application.drafted",
    "union.relief.application.recipient_set.v1": "application.recipient_set",
    "union.relief.application.submitted.v1": "application.submitted",
    "union.relief.application.approved.v1": "application.approved",
    "union.relief.application.rejected.v1": "application.rejected",
    "union.relief.application.disbursed.v1": "application.disbursed",
    "union.relief.application.receipt_recorded.v1": "application.receipt_recorded",
    "union.relief.file.card_issued.v1": "file.card_issued",
    "union.relief.file.card_withdrawn.v1": "file.card_withdrawn",
    "union.relief.subsidy.paid.v1": "subsidy.paid",
}


def notification_of(
    event: RecordedEvent, owners: dict[str, tuple[str | None, str]]
) -> Notification | None:
    """The notification an event makes, if any. `owners` maps a stream to (member, district),
    learnt from the opening events as the log is read."""
    d = event.data
    if event.type in ("union.relief.application.drafted.v1", "union.relief.file.opened.v1"):
        owners[event.stream_id] = (d.get("member_id"), d["district"])
    if event.type == "union.relief.application.recipient_set.v1":
        owners[event.stream_id] = (d["member_id"], owners.get(event.stream_id, (None, ""))[1])
    if event.type == "union.relief.file.moved.v1":
        owners[event.stream_id] = (owners.get(event.stream_id, (None, ""))[0], d["to_district"])
    step = _STEPS.get(event.type)
    if step is None:
        return None
    member_id, district = owners.get(event.stream_id, (d.get("member_id"), d.get("district", "")))
    # a subsidy's stream is the member's month: the notification names the card paid
    subject = str(d["card_id"]) if step == "subsidy.paid" else event.stream_id.split("-", 1)[1]
    return Notification(event.id, step, subject, member_id, district or None, d.get("on"))


async def run_notifications(
    store: EventStore, notifier: Notifier, stop: asyncio.Event, idle_poll_s: float = 0.5
) -> None:
    owners: dict[str, tuple[str | None, str]] = {}
    position = 0  # owners are learnt from the start of the log; sending from the checkpoint
    sent_up_to = await store.get_checkpoint(CHECKPOINT)
    while not stop.is_set():
        try:
            batch = await store.read_all(position, 500)
            for event in batch:
                note = notification_of(event, owners)
                if note is not None and event.position > sent_up_to:
                    await notifier.notify(note)
            if batch:
                position = batch[-1].position
                if position > sent_up_to:
                    await store.set_checkpoint(CHECKPOINT, position)
                    sent_up_to = position
        except Exception:
            log.exception("notifications failed; retrying")
            await asyncio.sleep(1.0)
            continue
        if not batch:
            await store.wait_for_append(idle_poll_s)
