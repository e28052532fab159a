import uuid

from union_events.uuids import random_uuid


def test_a_random_uuid_is_a_canonical_version_4_uuid_and_new_each_time() -> None:
    made = [random_uuid() for _ in range(2000)]
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
    assert len(set(made)) == len(made)
    assert {text[19] for text in made} == set("89ab")  # every variant digit occurs
