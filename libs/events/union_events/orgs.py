"""Org paths, defined once: the grammar every service accepts, and the levels read off a path.

A path names an org's place in the tree (`zhoushan/dinghai/fishery-co`): a city, a district,
then a unit or a service point. Its segments are lower-case letters, digits, '-' and '_'
(not starting with '-' or '_'), at most 63 characters each; a path has 1 to 3 segments.
"""

from __future__ import annotations

import re
from typing import Final

from .errors import DomainError

SEGMENT: Final = r"[a-z0-9][a-z0-9_-]{0,62}"
# For request schemas (pydantic `pattern`) and tokens: 1 to 3 segments.
ORG_PATH_PATTERN: Final = rf"^{SEGMENT}(/{SEGMENT}){{0,2}}$"
ORG_PATH: Final = re.compile(ORG_PATH_PATTERN)
MAX_DEPTH: Final = 3
RULE: Final = (
    "1 to 3 segments separated by '/', each of lower-case letters, digits, '-' and '_' "
    "(not starting with '-' or '_'), e.g. 'zhoushan/dinghai/fishery-co'"
)
_LEVEL_NAMES: Final = {1: "a city", 2: "a district", 3: "a unit or service point"}


def is_org_path(path: str) -> bool:
    return bool(ORG_PATH.fullmatch(path))


def validate_org_path(path: str, *, depth: int | None = None, what: str = "org path") -> str:
    """The path, trimmed of spaces and outer slashes; `DomainError` (`invalid_org_path`, 422)
    unless it follows the grammar and, when `depth` is given, has exactly that many segments."""
    cleaned = path.strip().strip("/")
    if not ORG_PATH.fullmatch(cleaned):
        raise DomainError(f"{what} {path!r} is not an org path: {RULE}", code="invalid_org_path")
    if depth is not None and cleaned.count("/") + 1 != depth:
        raise DomainError(
            f"{what} {path!r} must name {_LEVEL_NAMES[depth]} ({depth} segment(s), "
            f"e.g. {'/'.join(['zhoushan', 'dinghai', 'center'][:depth])!r})",
            code="invalid_org_path",
        )
    return cleaned


def city_of(path: str) -> str:
    """`zhoushan/dinghai/center` → `zhoushan`."""
    return validate_org_path(path).split("/")[0]


def district_of(path: str) -> str:
    """`zhoushan/dinghai/center` → `zhoushan/dinghai`; a district is its own district. A city
    has none (`DomainError`)."""
    cleaned = validate_org_path(path)
    if "/" not in cleaned:
        raise DomainError(f"{path!r} is a city, not in a district", code="invalid_org_path")
    return "/".join(cleaned.split("/")[:2])


def within(path: str, scope: str) -> bool:
    """Does `scope` cover `path`? `zhoushan` covers `zhoushan/dinghai/u1`; `zhoushan/dinghai`
    does not cover `zhoushan/putuo` (nor `zhoushan/dinghai2`)."""
    path, scope = path.strip().strip("/"), scope.strip().strip("/")
    return bool(scope) and (path == scope or path.startswith(scope + "/"))
