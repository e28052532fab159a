"""Typed errors: the event store's, and `DomainError` for rules a command breaks.

No framework imports here: domain code raises these; `errors_http` maps them to HTTP."""

from typing import Any


class EventStoreError(Exception):
    pass


class ConcurrencyError(EventStoreError):
    """The stream is not at the version the command expected: reload and retry, or 409."""

    def __init__(self, stream_id: str, expected: int | None, actual: int) -> None:
        super().__init__(f"stream {stream_id!r} is at version {actual}, expected {expected}")
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class DuplicateEventError(EventStoreError):
    """An event id already stands in the log, in another stream or at another place."""

    def __init__(self, event_id: str) -> None:
        super().__init__(f"event {event_id} is already in the log elsewhere")
        self.event_id = event_id


class UnknownEventType(EventStoreError):
    pass


class DomainError(Exception):
    """A command refused by a rule. `status` is the HTTP status the edge answers with."""

    status: int = 422
    code: str = "rule_violated"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class LogBehindStream(DomainError):
    """The service's log lacks events its stream already holds (restored from an old
    backup): it appends nothing until an operator decides (`unionctl accept-loss`)."""

    status = 503
    code = "log_behind_stream"
