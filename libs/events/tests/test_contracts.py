"""Versioned public payloads: old versions are upcast on read, unknown ones are refused."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from union_events.contracts import ContractRegistry, EventPayload, split_type
from union_events.errors import UnknownEventType


class ClaimPaid(EventPayload):
    """v2 split v1's `district` into the paying and the insuring district (city pooling)."""

    event_name = "union.claims.claim.paid"
    event_version = 2

    claim_id: str
    amount: Decimal
    paying_district: str
    insuring_district: str


def registry_with_claim_paid() -> ContractRegistry:
    registry = ContractRegistry()
    registry.register(ClaimPaid)

    @registry.upcaster("union.claims.claim.paid", from_version=1)
    def _split_district(data: dict[str, Any]) -> dict[str, Any]:
        district = data.pop("district")
        return {**data, "paying_district": district, "insuring_district": district}

    return registry


def test_a_payload_type_carries_its_version_suffix() -> None:
    assert ClaimPaid.event_type() == "union.claims.claim.paid.v2"
    assert split_type("union.claims.claim.paid.v12") == ("union.claims.claim.paid", 12)


def test_a_v1_payload_is_upcast_to_the_current_model() -> None:
    registry = registry_with_claim_paid()
    v1 = {"claim_id": "c-1", "amount": "3011.00", "district": "dinghai"}

    payload = registry.parse("union.claims.claim.paid.v1", v1)

    assert payload == ClaimPaid(
        claim_id="c-1",
        amount=Decimal("3011.00"),
        paying_district="dinghai",
        insuring_district="dinghai",
    )
    assert v1 == {"claim_id": "c-1", "amount": "3011.00", "district": "dinghai"}  # untouched


def test_a_current_payload_is_read_as_is() -> None:
    registry = registry_with_claim_paid()
    v2 = {"claim_id": "c-2", "amount": "12.50", "paying_district": "putuo",
          "insuring_district": "dinghai"}  # fmt: skip

    payload = registry.parse("union.claims.claim.paid.v2", v2)

    assert isinstance(payload, ClaimPaid)
    assert (payload.paying_district, payload.insuring_district) == ("putuo", "dinghai")


@pytest.mark.parametrize(
    ("event_type", "message"),
    [
        ("union.claims.claim.rejected.v1", "no contract for 'union.claims.claim.rejected'"),
        ("union.claims.claim.paid", "has no version suffix"),
        ("union.claims.claim.paid.v3", "newer than this reader"),
    ],
    ids=["unknown-name", "no-version", "newer-version"],
)
def test_a_type_the_registry_cannot_read_is_refused(event_type: str, message: str) -> None:
    with pytest.raises(UnknownEventType, match=re.escape(message)):
        registry_with_claim_paid().parse(event_type, {})


def test_an_old_version_without_an_upcaster_is_refused() -> None:
    registry = ContractRegistry()
    registry.register(ClaimPaid)

    with pytest.raises(
        UnknownEventType, match=re.escape("no upcaster for union.claims.claim.paid v1")
    ):
        registry.parse("union.claims.claim.paid.v1", {"district": "dinghai"})


def test_the_registry_knows_a_type_by_name_whatever_its_version() -> None:
    registry = registry_with_claim_paid()

    assert registry.knows("union.claims.claim.paid.v1")
    assert not registry.knows("union.relief.grant.paid.v1")


def test_registering_an_older_model_after_a_newer_one_keeps_the_newer() -> None:
    class ClaimPaidV1(EventPayload):
        event_name = "union.claims.claim.paid"
        claim_id: str

    registry = registry_with_claim_paid()
    registry.register(ClaimPaidV1)
    data = {"claim_id": "c-1", "amount": "10.00", "district": "zhoushan/dinghai"}
    assert isinstance(registry.parse("union.claims.claim.paid.v1", data), ClaimPaid)
