import time
import uuid

from union_events.events import NewEvent
from union_events.uuids import random_uuid, time_ordered_uuid


def test_a_random_uuid_is_a_canonical_version_4_uuid_and_new_each_time() -> None:
    made = [random_uuid() for _ in range(2000)]
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
    assert len(set(made)) == len(made)
    assert {text[19] for text in made} == set("89ab")  # every variant digit occurs


def test_event_ids_are_version_7_uuids_in_the_order_they_were_made() -> None:
    made = []
    for _ in range(5):
        made += [NewEvent("union.test.thing.happened.v1", {}).id for _ in range(400)]
        time.sleep(0.002)  # ids of one millisecond are in no order among themselves
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (7, uuid.RFC_4122, text)
    assert len(set(made)) == len(made)
    assert {text[19] for text in made} == set("89ab")
    millis = [uuid.UUID(text).int >> 80 for text in made]
    assert millis == sorted(millis)
    assert abs(millis[-1] - time.time_ns() // 1_000_000) < 60_000
    assert time_ordered_uuid() > made[-1]
