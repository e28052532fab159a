"""What the lookup boxes make of what is typed or scanned."""

from __future__ import annotations

import pytest
from console.members.lookup import number_key, text_key


@pytest.mark.parametrize(
    ("typed", "key", "value"),
    [
        ("6295353751491287", "card_no", "6295353751491287"),
        ("6295 3537 5149 1287", "card_no", "6295353751491287"),
        ("33090219860412001x", "national_id", "33090219860412001X"),
        ("3309021986", None, "已输入 10 位：会员服务卡号为 16 位，身份证号为 18 位。"),
        ("", None, ""),
    ],
)
def test_a_scanned_number_is_a_card_at_16_digits_and_an_id_number_at_18(
    typed: str, key: str | None, value: str
) -> None:
    assert number_key(typed) == (key, value)


@pytest.mark.parametrize(
    ("typed", "key", "value"),
    [
        ("李海涛", "name", "李海涛"),
        ("138-5780-5678", "phone", "13857805678"),
        ("+86 138 5780 5678", "phone", "13857805678"),
        ("1385", None, "已输入 4 位：请输入完整的 11 位手机号。"),
    ],
)
def test_digits_are_a_phone_and_anything_else_a_name(
    typed: str, key: str | None, value: str
) -> None:
    assert text_key(typed) == (key, value)
