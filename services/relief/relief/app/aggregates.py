"""Stream ids and aggregates of the relief log (one place that names them)."""

from __future__ import annotations

import uuid
from typing import Any

from union_events.commands import Aggregate

from ..domain import codec
from ..domain.application import Application, evolve_application
from ..domain.budget import Budget, evolve_budget
from ..domain.hardship_file import HardshipFile, evolve_file
from ..domain.illness import Illness, evolve_illness
from ..domain.member import MemberRecord, evolve_member

files: Aggregate[HardshipFile, Any] = Aggregate(
    HardshipFile, evolve_file, codec.encode, codec.decode
)
applications: Aggregate[Application, Any] = Aggregate(
    Application, evolve_application, codec.encode, codec.decode
)
budgets: Aggregate[Budget, Any] = Aggregate(Budget, evolve_budget, codec.encode, codec.decode)
illnesses: Aggregate[Illness, Any] = Aggregate(Illness, evolve_illness, codec.encode, codec.decode)
members: Aggregate[MemberRecord, Any] = Aggregate(
    MemberRecord, evolve_member, codec.encode, codec.decode
)


def file_stream(file_id: str) -> str:
    return f"file-{file_id}"


def application_stream(application_id: str) -> str:
    return f"application-{application_id}"


def budget_stream(district: str, year: int, kind: str) -> str:
    return f"budget-{district}-{year}-{kind}"


def standard_stream(district: str) -> str:
    return f"standard-{district}"


def member_stream(member_id: str) -> str:
    return f"member-{member_id}"


def illness_stream(member_id: str, year: int) -> str:
    return f"illness-{member_id}-{year}"


def derived_id(*parts: object) -> str:
    """A stable id from what identifies a thing (an intake, a member and year)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "union-relief:" + ":".join(map(str, parts))))
