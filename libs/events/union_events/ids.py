"""Member ids are canonical everywhere: a lower-case UUID (`str(uuid.UUID(text))`). A member
id in upper case, with braces or without dashes is the same member, written once one way; text
that is no UUID is no member id (`invalid_member_id`, 422)."""

from __future__ import annotations

import uuid

from .errors import DomainError


def canonical_member_id(text: str) -> str:
    try:
        return str(uuid.UUID(text.strip()))
    except (ValueError, AttributeError) as exc:
        raise DomainError(
            f"{text!r} is not a member id (a member id is a UUID such as "
            "'0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90')",
            code="invalid_member_id",
        ) from exc
