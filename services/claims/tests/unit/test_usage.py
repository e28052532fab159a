"""The usage fold: what each claim holds of the annual cap; released at most once, never < 0."""

from __future__ import annotations

from decimal import Decimal

import pytest
from claims.domain.usage import Released, Reserved, held, release_of, used

D = Decimal


@pytest.mark.parametrize(
    ("entries", "usage"),
    [
        ([], D("0")),
        ([Reserved("c1", D("1000.00"))], D("1000.00")),
        ([Reserved("c1", D("1000.00")), Released("c1", D("1000.00"))], D("0")),
        # the log: returned (released), then rejected (released again)
        (
            [
                Reserved("c1", D("1000.00")),
                Released("c1", D("1000.00")),
                Released("c1", D("1000.00")),
            ],
            D("0"),
        ),
        # released twice, then resubmitted and reserved again: it holds the new benefit
        (
            [
                Reserved("c1", D("1000.00")),
                Released("c1", D("1000.00")),
                Released("c1", D("1000.00")),
                Reserved("c1", D("800.00")),
                Reserved("c2", D("300.00")),
            ],
            D("1100.00"),
        ),
        ([Released("c9", D("50.00"))], D("0")),  # a release with nothing reserved
    ],
)
def test_the_usage_is_what_the_claims_hold_and_never_negative(entries, usage) -> None:
    assert used(entries) == usage
    assert all(amount > 0 for amount in held(entries).values())


def test_a_claim_is_released_what_it_holds_and_only_once() -> None:
    entries = [Reserved("c1", D("1000.00")), Reserved("c2", D("200.00"))]
    release = release_of(entries, "c1")
    assert release == Released("c1", D("1000.00"))
    assert release_of([*entries, release], "c1") is None
    assert release_of(entries, "never-assessed") is None
