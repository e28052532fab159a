"""Who may read or change a district's relief records: the org-path prefix rule."""

from __future__ import annotations

import pytest
from relief.domain.jurisdiction import may_access, may_set_standard

A, B = "zhoushan/dinghai", "zhoushan/putuo"


@pytest.mark.parametrize(
    ("role", "org", "district", "allowed"),
    [
        ("district_officer", A, A, True),
        ("district_officer", B, A, False),  # a district B officer cannot touch A's files
        ("district_officer", "zhoushan/dinghaix", A, False),  # a prefix of text is no prefix
        ("clerk", "zhoushan/dinghai/center", A, True),  # a clerk acts for its point's district
        ("clerk", "zhoushan/putuo/center", A, False),
        ("city_admin", "zhoushan", A, True),
        ("city_admin", "zhoushan", B, True),
        ("city_admin", "ningbo", A, False),  # another city
        ("city_admin", A, A, False),  # a city admin's org is a city
        ("member", A, A, False),
        # A system acts where its token's org path says (issue 16), not everywhere:
        ("service", "system", A, False),
        ("service", "zhoushan", A, True),
        ("service", A, B, False),
        ("district_officer", "", A, False),
    ],
)
def test_may_access(role, org, district, allowed):
    assert may_access(org, district, role) is allowed


@pytest.mark.parametrize(
    ("role", "org", "allowed"),
    [
        ("city_admin", "zhoushan", True),
        ("district_officer", A, True),
        ("district_officer", B, False),
        ("clerk", "zhoushan/dinghai/center", False),
    ],
)
def test_the_standard_is_set_by_a_city_admin_or_the_district_officer(role, org, allowed):
    assert may_set_standard(org, A, role) is allowed
