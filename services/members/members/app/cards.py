"""Union card numbers (会员服务卡号): 16 digits, the last a Luhn check digit."""

from __future__ import annotations

import secrets

CARD_PREFIX = "62"  # a bank-card-like number, as union service cards are co-branded


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:  # doubled: the rightmost payload digit sits next to the check digit
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str((10 - total % 10) % 10)


def new_card_no() -> str:
    body = CARD_PREFIX + "".join(str(secrets.randbelow(10)) for _ in range(13))
    return body + luhn_digit(body)


def is_card_no(value: str) -> bool:
    return len(value) == 16 and value.isdigit() and luhn_digit(value[:-1]) == value[-1]
