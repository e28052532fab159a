"""Typed errors of the event toolkit."""


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
