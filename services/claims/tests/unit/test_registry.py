"""Service points from members' registry, hospitals from the city's, invoice numbers compared
as people write them: with or without dashes and spaces, in full-width or plain characters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from claims.domain.events import Invoice
from claims.domain.filing import invoice_key
from claims.domain.registry import (
    Hospital,
    Org,
    decide_hospital,
    hospital_code,
    invoice_number_key,
    require_hospitals,
    require_service_point,
)
from hypothesis import given
from hypothesis import strategies as st
from union_events.errors import DomainError

CENTER = Org("zhoushan/dinghai/center", "定海职工服务中心", "service_point")
UNIT = Org("zhoushan/dinghai/fishery-co", "渔业公司工会", "unit")
ZS = Hospital("ZS-001", "舟山医院", "zhoushan", None)


def test_a_claim_is_filed_at_a_registered_service_point() -> None:
    assert require_service_point(CENTER.path, CENTER) == "zhoushan/dinghai/center"


@pytest.mark.parametrize(
    ("path", "org", "code"),
    [
        ("zhoushan/madeup/nowhere", None, "unknown_service_point"),
        ("zhoushan/dinghai/fishery-co", UNIT, "not_a_service_point"),
        ("zhoushan/dinghai", Org("zhoushan/dinghai", "定海区", "district"), "not_a_service_point"),
    ],
)
def test_a_path_nobody_registered_or_that_is_no_service_point_is_refused_by_name(
    path: str, org: Org | None, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        require_service_point(path, org)
    assert (raised.value.status, raised.value.code) == (422, code)
    assert path in raised.value.message


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("FP20260001", "FP20260001"),
        ("fp-2026-0001", "FP20260001"),
        (" FP 2026 0001 ", "FP20260001"),
        ("ＦＰ－２０２６－０００１", "FP20260001"),  # full-width letters, digits and dash
        ("FP_2026/0001.", "FP20260001"),
        ("FP\u30002026\u20140001", "FP20260001"),  # ideographic space, em dash
        ("№ 12", "NO12"),  # NFKC: the numero sign is "No"
    ],
)
def test_invoice_numbers_are_compared_without_width_separators_or_case(
    written: str, key: str
) -> None:
    assert invoice_number_key(written) == key


def test_an_invoice_number_of_separators_only_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        invoice_number_key(" - - ")
    assert raised.value.code == "invalid_invoice"


@pytest.mark.parametrize("code", ["zs-001", " ZS-001", "ＺＳ－００１"])
def test_a_hospital_code_is_read_in_upper_case_and_plain_width(code: str) -> None:
    assert hospital_code(code) == "ZS-001"


@pytest.mark.parametrize("code", ["舟山医院", "-ZS", "ZS 001", "X" * 33, ""])
def test_a_hospital_name_or_malformed_text_is_no_code(code: str) -> None:
    with pytest.raises(DomainError) as raised:
        hospital_code(code)
    assert raised.value.code == "invalid_hospital_code"
    assert "letters, digits and '-'" in raised.value.message


def invoice(hospital: str) -> Invoice:
    return Invoice(hospital, "FP-1", Decimal("10.00"), date(2026, 11, 20))


def test_invoices_name_registered_hospitals_by_code() -> None:
    assert require_hospitals((invoice("zs-001"),), {"ZS-001": ZS}) == (invoice("ZS-001"),)


def test_an_invoice_of_an_unknown_hospital_code_is_refused_with_the_code() -> None:
    with pytest.raises(DomainError) as raised:
        require_hospitals((invoice("ZS-001"), invoice("ZS-404")), {"ZS-001": ZS})
    assert (raised.value.status, raised.value.code) == (422, "unknown_hospital")
    assert raised.value.details["hospital"] == "ZS-404" and "ZS-404" in raised.value.message


def test_a_hospital_is_registered_and_renamed_and_setting_it_again_changes_nothing() -> None:
    first = decide_hospital(None, code="zs-001", name="舟山医院", city="zhoushan", district=None)
    assert first == [ZS]
    same = decide_hospital(ZS, code="ZS-001", name=" 舟山医院 ", city="zhoushan", district=None)
    assert same == []
    renamed = decide_hospital(
        ZS, code="ZS-001", name="舟山市人民医院", city="zhoushan", district="zhoushan/dinghai"
    )
    assert renamed == [Hospital("ZS-001", "舟山市人民医院", "zhoushan", "zhoushan/dinghai")]


@pytest.mark.parametrize(
    ("city", "district", "status", "code"),
    [
        ("zhoushan", "ningbo/haishu", 422, "district_outside_city"),
        ("ningbo", None, 409, "hospital_of_another_city"),
    ],
)
def test_a_hospital_stays_in_its_city_and_its_district_lies_in_it(
    city: str, district: str | None, status: int, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        decide_hospital(ZS, code="ZS-001", name="舟山医院", city=city, district=district)
    assert (raised.value.status, raised.value.code) == (status, code)


SEPARATORS = [" ", "-", "－", "—", "_", "/", ".", "\u3000"]


def full_width(ch: str) -> str:
    return chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch


@given(
    number=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=20),
    data=st.data(),
)
def test_an_invoice_number_written_any_way_people_write_it_is_one_invoice_city_wide(
    number: str, data: st.DataObject
) -> None:
    written = ""
    for ch in number:
        ch = data.draw(st.sampled_from([ch, ch.lower(), full_width(ch), full_width(ch.lower())]))
        written += ch + data.draw(st.sampled_from(["", "", *SEPARATORS]))
    assert invoice_key("zs-001", written) == invoice_key("ZS-001", number) == f"ZS-001|{number}"
