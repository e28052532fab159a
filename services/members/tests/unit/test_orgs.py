"""The org registry: city → district → unit, service points under a district."""

from __future__ import annotations

import pytest
from members.domain.events import OrgRegistered
from members.domain.orgs import Org, decide_register_org, evolve_org, validate_org_path
from union_events.errors import Conflict, DomainError

CITY = Org("zhoushan", "舟山市总工会", "city", None)
DISTRICT = Org("zhoushan/dinghai", "定海区总工会", "district", "zhoushan")


@pytest.mark.parametrize(
    ("path", "level", "parent"),
    [
        ("zhoushan", "city", None),
        ("zhoushan/dinghai", "district", CITY),
        ("zhoushan/dinghai/u-anchor", "unit", DISTRICT),
        ("zhoushan/dinghai/center-1", "service_point", DISTRICT),
    ],
)
def test_given_its_parent_when_an_org_is_registered_then_it_is_recorded_under_the_parent(
    path: str, level: str, parent: Org | None
) -> None:
    events = decide_register_org(None, parent, path, " 名称 ", level)
    expected_parent = parent.path if parent else None
    assert events == [OrgRegistered(path, "名称", level, expected_parent)]
    assert evolve_org(None, events[0]) == Org(path, "名称", level, expected_parent)


@pytest.mark.parametrize(
    ("existing", "parent", "path", "name", "level", "status", "code"),
    [
        (None, None, "zhoushan", "x", "town", 422, "invalid_level"),
        (CITY, None, "zhoushan", "again", "city", 409, "org_exists"),
        (None, None, "zhoushan/dinghai", "x", "city", 422, "level_does_not_fit_path"),
        (None, CITY, "zhoushan", "x", "district", 422, "level_does_not_fit_path"),
        (None, DISTRICT, "zhoushan/dinghai", "x", "unit", 422, "level_does_not_fit_path"),
        (None, None, "ningbo/haishu", "x", "district", 422, "parent_not_found"),
        (None, CITY, "ningbo/haishu", "x", "district", 422, "parent_not_found"),  # not its prefix
        (None, CITY, "zhoushan/dinghai", "x", "district", 422, None),  # the control case
        (
            None,
            Org("zhoushan", "x", "district", None),
            "zhoushan/d",
            "x",
            "district",
            422,
            "wrong_parent_level",
        ),
        (
            None,
            Org("zhoushan/x", "x", "unit", "zhoushan"),
            "zhoushan/x/y",
            "x",
            "unit",
            422,
            "wrong_parent_level",
        ),
        (None, DISTRICT, "zhoushan/dinghai/u1", " ", "unit", 422, "name_required"),
        (None, None, "Zhou Shan", "x", "city", 422, "invalid_org_path"),
    ],
)
def test_an_org_that_breaks_a_rule_is_refused(
    existing: Org | None,
    parent: Org | None,
    path: str,
    name: str,
    level: str,
    status: int,
    code: str | None,
) -> None:
    if code is None:
        assert decide_register_org(existing, parent, path, name, level)
        return
    with pytest.raises(DomainError) as refused:
        decide_register_org(existing, parent, path, name, level)
    assert (refused.value.status, refused.value.code) == (status, code)
    assert refused.value.message


def test_a_duplicate_is_a_conflict_naming_the_path() -> None:
    with pytest.raises(Conflict) as refused:
        decide_register_org(CITY, None, "zhoushan", "again", "city")
    assert refused.value.details == {"path": "zhoushan"}


def test_a_bad_level_names_the_levels() -> None:
    with pytest.raises(DomainError, match="level"):
        decide_register_org(None, None, "zhoushan", "x", "town")


@pytest.mark.parametrize(
    "path", ["zhoushan", " zhoushan/dinghai ", "a/b-1/0-c", "a/b_1", "x" * 63, "/a/b/"]
)
def test_a_well_formed_path_is_accepted_trimmed(path: str) -> None:
    assert validate_org_path(path) == path.strip().strip("/")


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/",
        "Zhoushan",
        "zhou shan",
        "a//b",
        "a/b/c/d",
        "-a",
        "a/_b",
        "舟山",
        "x" * 64,
    ],
)
def test_a_malformed_path_is_refused(path: str) -> None:
    with pytest.raises(DomainError) as refused:
        validate_org_path(path)
    assert refused.value.code == "invalid_org_path"
