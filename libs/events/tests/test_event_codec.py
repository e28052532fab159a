"""The event codec: money keeps two places, a ratio keeps the scale it was given."""

from dataclasses import dataclass
from decimal import Decimal

from union_events.event_codec import EventCodec, Exact


@dataclass(frozen=True)
class TierSet:
    ratio: Exact
    up_to: Decimal | None
    cap: Decimal


CODEC = EventCodec("test", {TierSet: "union.test.tier_set.v1"})


def test_a_ratio_keeps_its_scale_and_money_keeps_two_places():
    event = TierSet(Decimal("0.655"), Decimal("5000"), Decimal("12.3"))
    event_type, data = CODEC.encode(event)
    assert data == {"ratio": "0.655", "up_to": "5000.00", "cap": "12.30"}
    back = CODEC.decode(event_type, data)
    assert back.ratio == Decimal("0.655") and str(back.ratio) == "0.655"


def test_a_ratio_written_as_given_reads_back_as_given():
    _, data = CODEC.encode(TierSet(Decimal("0.5"), None, Decimal("1")))
    assert data["ratio"] == "0.5" and data["up_to"] is None
