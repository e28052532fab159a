"""Who may become a member: a person of working age (16 or over on the day they register, by
the birth date in the national ID number) with a Chinese mobile phone number.

Error messages never repeat the number or the phone: they are personal data.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from union_events.errors import DomainError

WORKING_AGE = 16
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS = str.maketrans("", "", " -()")


def age_on(born: date, day: date) -> int:
    """Whole years from `born` to `day` (someone born on 29 February turns a year older on
    1 March in other years)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date(national_id: str) -> date:
    """The birth date in a validated national ID number (characters 7-14)."""
    return date(int(national_id[6:10]), int(national_id[10:12]), int(national_id[12:14]))


def check_working_age(national_id: str, today: date) -> None:
    """422 `under_working_age` unless the person is 16 or over today."""
    if age_on(birth_date(national_id), today) < WORKING_AGE:
        raise DomainError(
            f"a member must be at least {WORKING_AGE} years old on the day of registration; "
            "by the birth date in the national ID number this person is younger",
            code="under_working_age",
            minimum_age=WORKING_AGE,
        )


def normalize_phone(phone: str) -> str:
    """A Chinese mobile number as 11 digits: full-width digits made ASCII, spaces, dashes and
    brackets dropped, a +86 or 0086 country prefix removed. 422 `invalid_phone` otherwise."""
    digits = unicodedata.normalize("NFKC", phone).strip().translate(_SEPARATORS)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits.removeprefix(prefix)
            break
    else:
        if len(digits) == 13 and digits.startswith("861"):  # 86 without the plus
            digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise DomainError(
            "the phone must be a Chinese mobile number: 11 digits starting with 13 to 19 "
            "(spaces, dashes and a +86 or 0086 prefix are allowed)",
            code="invalid_phone",
        )
    return digits
