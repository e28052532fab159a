"""One org-path grammar, one "today" in the federation's time zone, canonical member ids."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from union_events import clock
from union_events.errors import DomainError
from union_events.ids import canonical_member_id
from union_events.orgs import city_of, district_of, is_org_path, validate_org_path
from union_events.tokens import validate_org


@pytest.mark.parametrize(
    ("path", "accepted"),
    [
        ("zhoushan", True),
        ("zhoushan/xin-qu", True),  # members accepted it, relief refused it (issue 18 #14)
        ("zhoushan/dinghai/fishery-co", True),  # the demo's own unit
        ("zhoushan/dinghai/u_1", True),
        ("zhoushan/dinghai/center/desk", False),  # no org deeper than a unit or a point
        ("Zhoushan/dinghai", False),
        ("zhoushan/-x", False),
        ("zhoushan//x", False),
        ("zhoushan/定海", False),
        ("", False),
        ("a" * 64, False),
    ],
)
def test_one_org_path_grammar_for_services_and_tokens(path: str, accepted: bool) -> None:
    assert is_org_path(path) is accepted
    if accepted:
        assert validate_org_path(path) == path
        assert validate_org(path) == path
    else:
        with pytest.raises(DomainError) as refused:
            validate_org_path(path)
        assert refused.value.code == "invalid_org_path"
        assert "segments" in refused.value.message  # the rule in words, not a regex
        with pytest.raises(ValueError):
            validate_org(path)


def test_a_path_of_the_wrong_level_is_refused_in_words() -> None:
    assert validate_org_path(" /zhoushan/dinghai/ ", depth=2) == "zhoushan/dinghai"
    with pytest.raises(DomainError) as refused:
        validate_org_path("zhoushan/dinghai", depth=3, what="service point")
    assert "service point" in refused.value.message
    assert "unit or service point" in refused.value.message


def test_district_and_city_are_read_off_the_path() -> None:
    assert district_of("zhoushan/dinghai/center") == "zhoushan/dinghai"
    assert district_of("zhoushan/dinghai") == "zhoushan/dinghai"
    assert city_of("zhoushan/dinghai/center") == "zhoushan"
    with pytest.raises(DomainError):
        district_of("zhoushan")


def test_today_is_the_federations_date_not_the_servers_utc_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 16:30 UTC on 1 December is 00:30 on 2 December in Beijing (issue 18 #12)
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 1, 16, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 12, 2)
    assert clock.today("Asia/Shanghai") == date(2026, 12, 2)
    assert clock.today("UTC") == date(2026, 12, 1)
    assert clock.clock_for("Asia/Shanghai")() == date(2026, 12, 2)


def test_an_unknown_time_zone_fails_at_start_up_with_its_name() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        clock.clock_for("Mars/Olympus")


@pytest.mark.parametrize(
    "written",
    [
        "0B8A7C1E-3F7D-4A53-9C1F-2D5E8F6A7B90",
        "0b8a7c1e3f7d4a539c1f2d5e8f6a7b90",
        "{0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90}",
        " 0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90 ",
    ],
)
def test_a_member_id_has_one_canonical_form(written: str) -> None:
    assert canonical_member_id(written) == "0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90"


@pytest.mark.parametrize("text", ["nobody-123", "", "0b8a7c1e-3f7d"])
def test_text_that_is_no_uuid_is_no_member_id(text: str) -> None:
    with pytest.raises(DomainError) as refused:
        canonical_member_id(text)
    assert (refused.value.status, refused.value.code) == (422, "invalid_member_id")
