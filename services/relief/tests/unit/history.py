"""Given-when-then over the pure domain: fold the given events, decide, compare."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from typing import Any, TypeVar

S = TypeVar("S")


def given(initial: S, evolve: Callable[[S, Any], S], events: Sequence[Any]) -> S:
    return reduce(evolve, events, initial)
