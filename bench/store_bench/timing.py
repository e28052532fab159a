"""Stopwatch helpers: only the work between start and stop is counted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import TypeVar

T = TypeVar("T")


async def atimed(work: Awaitable[T]) -> tuple[float, T]:
    start = perf_counter()
    result = await work
    return perf_counter() - start, result


def timed(work: Callable[[], T]) -> tuple[float, T]:
    start = perf_counter()
    result = work()
    return perf_counter() - start, result


def expect(what: str, got: int, wanted: int) -> None:
    """A benchmark that lost events measures nothing: fail loudly."""
    if got != wanted:
        raise RuntimeError(f"{what}: expected {wanted}, got {got}")
