"""The national ID number (居民身份证号码, GB 11643-1999): 18 characters, the last a check digit.

Six digits of region, eight of birth date (YYYYMMDD), three of sequence, one check character
(ISO 7064 MOD 11-2). Error messages never repeat the number: it is personal data.
"""

from __future__ import annotations

from datetime import date, timedelta

from union_events.errors import DomainError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # indexed by the weighted sum modulo 11
EARLIEST_BIRTH = date(1900, 1, 1)
_DIGITS = frozenset("0123456789")


class InvalidNationalId(DomainError):
    status = 422
    code = "invalid_national_id"


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_national_id(value: str, today: date) -> str:
    """The normalized number (trimmed, upper-case X), or InvalidNationalId with the reason."""
    number = value.strip().upper()
    if len(number) != 18:
        raise InvalidNationalId(
            f"a national ID number has 18 characters; this one has {len(number)}",
            reason="wrong_length",
        )
    if not set(number[:17]) <= _DIGITS or number[17] not in CHECK_CHARS:
        raise InvalidNationalId(
            "a national ID number has 17 digits followed by a digit or X",
            reason="bad_characters",
        )
    born = _birth_date(number[6:14])
    if born is None or born < EARLIEST_BIRTH:
        raise InvalidNationalId(
            "the birth date in the national ID number (characters 7-14) is not a possible date",
            reason="impossible_birth_date",
        )
    if born > today:
        raise InvalidNationalId(
            "the birth date in the national ID number (characters 7-14) is in the future",
            reason="birth_date_in_future",
        )
    if check_char(number[:17]) != number[17]:
        raise InvalidNationalId(
            "the check digit of the national ID number does not match: a character is mistyped",
            reason="check_digit_mismatch",
        )
    return number


def make_national_id(region: str, born: date, sequence: int) -> str:
    """A valid number for tests, demo data and benchmarks. Every sequence ≥ 0 gives a distinct
    number: past 999 the birth date moves back one day per thousand."""
    if len(region) != 6 or not set(region) <= _DIGITS or sequence < 0:
        raise ValueError("region is 6 digits and sequence is not negative")
    born -= timedelta(days=sequence // 1000)
    first17 = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}{sequence % 1000:03d}"
    return first17 + check_char(first17)


def _birth_date(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None
