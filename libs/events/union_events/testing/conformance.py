"""Every answer a test receives, held to the service's own OpenAPI document.

`AnswerChecker(app)` is an httpx response hook: it finds the route that answered, takes the
schema the document gives for that status and validates the JSON body against it, so each API
test is also a conformance test of the document (the fuzz test only sees the successes its
generated requests reach). A body that breaks the document fails the request with the route,
the status and the first violation.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute
from jsonschema import Draft202012Validator
from starlette.routing import Match


class AnswerBreaksTheDocument(AssertionError):
    pass


class AnswerChecker:
    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._validators: dict[tuple[str, str, str], Draft202012Validator | None] = {}
        self._document: dict[str, Any] | None = None

    async def __call__(self, response: httpx.Response) -> None:
        if not response.headers.get("content-type", "").startswith("application/json"):
            return
        request = response.request
        route = self._route(request.method, request.url.path)
        if route is None:
            return
        validator = self._validator(route.path_format, request.method, response.status_code)
        if validator is None:
            return
        await response.aread()
        body = json.loads(response.content)
        error = next(iter(sorted(validator.iter_errors(body), key=lambda e: e.path)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(the body)"
            raise AnswerBreaksTheDocument(
                f"{request.method} {route.path_format} answered {response.status_code} with a "
                f"body its OpenAPI document does not allow, at {where}: {error.message}"
            )

    def _route(self, method: str, path: str) -> APIRoute | None:
        scope = {"type": "http", "method": method, "path": path, "root_path": ""}
        for route in self._app.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                if route.matches(scope)[0] == Match.FULL:
                    return route
        return None

    def _validator(self, path: str, method: str, status: int) -> Draft202012Validator | None:
        key = (path, method.lower(), str(status))
        if key not in self._validators:
            self._document = self._document or self._app.openapi()
            operation = self._document["paths"].get(path, {}).get(key[1], {})
            response = operation.get("responses", {}).get(key[2])
            schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
            self._validators[key] = (
                None
                if schema is None
                else Draft202012Validator({**schema, "components": self._document["components"]})
            )
        return self._validators[key]
