"""Public event payloads: versioned pydantic models, and upcasters that read old versions.

A type on the wire is `<name>.v<N>` (e.g. `union.claims.claim.paid.v1`). Breaking a published
schema means a new version and an upcaster from the old one, never an edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

from .errors import UnknownEventType

_VERSIONED = re.compile(r"^(?P<name>[a-z0-9_.-]+)\.v(?P<version>[0-9]+)$")


class EventPayload(BaseModel):
    """Base of every public payload. Subclasses set `event_name` and `event_version`."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    event_name: ClassVar[str]
    event_version: ClassVar[int] = 1

    @classmethod
    def event_type(cls) -> str:
        return f"{cls.event_name}.v{cls.event_version}"


def split_type(event_type: str) -> tuple[str, int]:
    match = _VERSIONED.match(event_type)
    if match is None:
        raise UnknownEventType(f"event type {event_type!r} has no version suffix (.vN)")
    return match["name"], int(match["version"])


P = TypeVar("P", bound=type[EventPayload])
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class ContractRegistry:
    """Knows the current payload model per event name and how to lift old versions to it."""

    def __init__(self) -> None:
        self._models: dict[str, type[EventPayload]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: P) -> P:
        """Register a payload model; the highest version of a name is the one read into."""
        current = self._models.get(model.event_name)
        if current is None or model.event_version >= current.event_version:
            self._models[model.event_name] = model
        return model

    def upcaster(self, name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register a function turning data of `from_version` into `from_version + 1`."""

        def decorator(fn: Upcaster) -> Upcaster:
            self._upcasters[(name, from_version)] = fn
            return fn

        return decorator

    def knows(self, event_type: str) -> bool:
        return split_type(event_type)[0] in self._models

    def parse(self, event_type: str, data: Mapping[str, Any]) -> EventPayload:
        name, version = split_type(event_type)
        model = self._models.get(name)
        if model is None:
            raise UnknownEventType(f"no contract for {name!r}")
        if version > model.event_version:
            raise UnknownEventType(
                f"{event_type} is newer than this reader (v{model.event_version})"
            )
        payload = dict(data)
        while version < model.event_version:
            step = self._upcasters.get((name, version))
            if step is None:
                raise UnknownEventType(f"no upcaster for {name} v{version}")
            payload = step(payload)
            version += 1
        return model.model_validate(payload)
