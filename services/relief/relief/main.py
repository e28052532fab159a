"""Entry points: `uvicorn relief.main:app` (HTTP + relay + consumers) or
`faststream run relief.main:stream_app --factory` (relay + consumers only)."""

from faststream import FastStream
from union_events.apps import create_app, create_stream_app

from .bootstrap import definition

app = create_app(definition())


def stream_app() -> FastStream:
    return create_stream_app(definition())
