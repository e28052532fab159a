"""The org registry: city → district → unit, and service points (服务站) under a district.

An org's path names its place in the tree ("zhoushan/dinghai/u-anchor"); its parent is the
path's prefix, so the tree can be read from the paths alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from union_events.errors import Conflict, DomainError
from union_events.orgs import validate_org_path as platform_org_path
from union_events.published.vocabularies import ORG_LEVELS

from .events import OrgRegistered

LEVELS = ORG_LEVELS
DEPTH = {"city": 1, "district": 2, "unit": 3, "service_point": 3}  # path segments per level
PARENT_LEVEL = {"district": "city", "unit": "district", "service_point": "district"}


@dataclass(frozen=True)
class Org:
    path: str
    name: str
    level: str
    parent: str | None


def validate_org_path(path: str) -> str:
    """The path, trimmed: the platform's one grammar (`union_events.orgs`)."""
    return platform_org_path(path)


def parent_path(path: str) -> str | None:
    """The path's prefix: where its parent org stands (None for a city)."""
    return path.rsplit("/", 1)[0] if "/" in path else None


def decide_register_org(
    existing: Org | None, parent: Org | None, path: str, name: str, level: str
) -> list[OrgRegistered]:
    if level not in LEVELS:
        raise DomainError(
            f"unknown org level {level!r}; the level is one of {', '.join(LEVELS)}",
            code="invalid_level",
        )
    path = validate_org_path(path)
    if existing is not None:
        raise Conflict(f"an org {path!r} is registered already", code="org_exists", path=path)
    depth = len(path.split("/"))
    if depth != DEPTH[level]:
        raise DomainError(
            f"a {level} has a path of {DEPTH[level]} segment(s); {path!r} has {depth}",
            code="level_does_not_fit_path",
        )
    expected_parent = parent_path(path)
    if expected_parent is not None:
        if parent is None or parent.path != expected_parent:
            raise DomainError(
                f"the parent org {expected_parent!r} is not registered", code="parent_not_found"
            )
        if parent.level != PARENT_LEVEL[level]:
            raise DomainError(
                f"a {level} belongs to a {PARENT_LEVEL[level]}; {parent.path!r} is a "
                f"{parent.level}",
                code="wrong_parent_level",
            )
    name = name.strip()
    if not name:
        raise DomainError("an org needs a name", code="name_required")
    return [OrgRegistered(path=path, name=name, level=level, parent=expected_parent)]


def evolve_org(state: Org | None, event: OrgRegistered) -> Org:
    return Org(path=event.path, name=event.name, level=event.level, parent=event.parent)
