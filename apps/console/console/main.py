"""Entry point: `uvicorn console.main:app` (settings from the CONSOLE_* environment)."""

from .bootstrap import create_app

app = create_app()
