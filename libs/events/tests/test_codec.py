import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from union_events import codec


def test_event_data_is_written_compact_in_utf8_with_decimals_dates_and_uuids_as_text() -> None:
    claim = uuid.UUID("0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90")
    data = {
        "amount": Decimal("6230.00"),
        "on": date(2026, 3, 10),
        "at": datetime(2026, 3, 10, 8, 15, 3, 412000, tzinfo=UTC),
        "local": datetime(2026, 3, 10, 16, 15, tzinfo=timezone(timedelta(hours=8))),
        "claim": claim,
        "name": "周海\n",
        1: [True, None],
    }
    text = codec.dumps(data)
    assert text == (
        '{"amount":"6230.00","on":"2026-03-10","at":"2026-03-10T08:15:03.412000+00:00",'
        '"local":"2026-03-10T16:15:00+08:00","claim":"0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90",'
        '"name":"周海\\n","1":[true,null]}'
    )
    assert codec.dumpb(data) == text.encode()
    assert codec.loads(text)["name"] == "周海\n"


def test_what_orjson_refuses_the_standard_library_still_reads_and_writes() -> None:
    big = {"n": 2**70}
    assert codec.loads(codec.dumps(big)) == big
    assert codec.loads(b'{"n": 123456789012345678901234567890}') == {
        "n": 123456789012345678901234567890
    }
    with pytest.raises(ValueError):
        codec.loads("{not json")
    with pytest.raises(TypeError, match="cannot encode set"):
        codec.dumps({"s": {1}})
