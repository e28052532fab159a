"""Every error code the services can answer with has a Chinese message in the catalogue.

The codes are read from the source tree (services/ and libs/events) by the same walk that
writes docs/errors.md (`unionctl.catalogue`), not from a list kept by hand; a code composed
with an f-string (`f"already_{status}"`) needs a family for its prefix."""

from __future__ import annotations

from console.i18n import FAMILIES, chinese_message, label, message_for
from console.i18n.errors import CONSOLE_ERRORS, FALLBACK
from unionctl.catalogue import catalogue


def platform_codes() -> dict[str, set[str]]:
    """code -> where it is raised (the toolkit or the services), from the source tree."""
    return {code: entry.places for code, entry in catalogue().items()}


def test_the_walk_finds_the_codes_of_every_service_and_the_toolkit() -> None:
    codes = platform_codes()
    for expected in ("already_paid", "invalid_national_id", "budget_exceeded", "out_of_stock"):
        assert expected in codes
    for toolkit in ("invalid_request", "concurrent_change", "internal_error", "unauthenticated"):
        assert toolkit in codes
    assert "already_{}" in codes and "session_{}" in codes
    assert len(codes) > 120


def test_every_code_the_services_can_raise_has_a_chinese_message() -> None:
    missing = {}
    for code, where in sorted(platform_codes().items()):
        if "{}" in code:
            prefix = code.split("{}", 1)[0]
            if prefix not in FAMILIES:
                missing[code] = sorted(where)
        elif message_for(code) is None:
            missing[code] = sorted(where)
    assert missing == {}, "add these codes to console/i18n/errors.py"


def test_a_composed_code_reads_its_rest_through_the_labels() -> None:
    assert chinese_message("session_held") == "该巡回服务已开展，不能再更改。"
    assert chinese_message("invalid_point_kind") == "站点类型不在可选范围内。"
    assert chinese_message("already_disbursed", "relief") == "该救助已发放。"


def test_a_code_two_services_share_reads_in_each_services_words() -> None:
    assert chinese_message("already_rejected", "claims") == "该互助金申请已不予支付。"
    assert chinese_message("already_rejected", "relief") == "该救助申请已不予批准。"


def test_an_unknown_code_gets_a_general_message_never_english() -> None:
    assert chinese_message("something_new") == FALLBACK


def test_every_message_is_chinese() -> None:
    from console.i18n import ERROR_MESSAGES

    for code, message in {**ERROR_MESSAGES, **CONSOLE_ERRORS}.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), code


def test_labels_follow_the_glossary() -> None:
    assert label("district_officer") == "区县审核人员"
    assert label("approved") == "已审核"  # a claim's status
    assert label("rejected") == "不予支付"
    assert label("service_point") == "服务站点"
