"""People for tests: valid national ID numbers and the body that registers a member.

`national_id` follows GB 11643-1999 on its own (ISO 7064 MOD 11-2, the weights written as
2^(17-i) mod 11), not members' code: members' validator is checked against the standard, not
against itself. For the same arguments it gives the number `make_national_id` gives.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

REGION = "330902"  # 舟山市定海区
BORN = date(1980, 1, 1)


def national_id(n: int, born: date = BORN, region: str = REGION) -> str:
    """A valid 18-character number, distinct for each n ≥ 0 (past 999 the birth date moves
    back one day per thousand)."""
    born -= timedelta(days=n // 1000)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def person(
    n: int,
    unit: str,
    *,
    born: date = BORN,
    name: str = "王小明",
    phone: str = "13800000000",
) -> dict[str, Any]:
    """The body of `POST /members` for person n of `unit` (members' org path)."""
    return {"national_id": national_id(n, born), "name": name, "phone": phone, "unit": unit}
