"""The contract's error body on every failure: `{"error": {"code": ..., "message": ...}}`.

Bad input is a 4xx with a reason, never a 500 with a stack trace. Services raise
`DomainError` subclasses (`union_events.errors`, free of any framework, so domain code can
raise them) or the store's `ConcurrencyError`; this maps them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .body_limit import BodyTooLarge
from .errors import ConcurrencyError, Conflict, DomainError, Forbidden, NotFound
from .orgs import ORG_PATH_PATTERN
from .orgs import RULE as ORG_RULE

__all__ = [
    "COMMAND_RESPONSES",
    "ERROR_RESPONSES",
    "Conflict",
    "DomainError",
    "ErrorBody",
    "Forbidden",
    "NotFound",
    "closed_list",
    "install_error_handlers",
    "pattern_in_words",
    "pattern_rule",
]

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # a rule's details, the invalid fields

    code: str
    message: str


class ErrorBody(BaseModel):
    """The contract's error body."""

    error: ErrorDetail


# What any service route may answer besides its success, all with the contract's error body
# (documented once by `create_app`, in place of FastAPI's default 422 `detail` schema).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (401, "No valid bearer token"),
        (403, "The caller's role or jurisdiction does not allow it"),
        (404, "No such record"),
        (409, "Conflicts with the record's state or a concurrent change"),
        (413, "The request body is larger than the limit (MAX_BODY_BYTES)"),
        (422, "Invalid input, or a rule refuses the command"),
    )
}

# What a command (a route that is not a read) may answer besides those: 503
# `log_behind_stream` while the service's log lacks events its stream already holds (restored
# from an old backup) and it appends nothing until an operator decides (docs/operations.md).
# Declared on every non-GET service route by `create_app`; reads keep answering.
COMMAND_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {
        "model": ErrorBody,
        "description": (
            "The service appends nothing for now (`log_behind_stream`: its log is behind its "
            "stream until an operator decides); retry later"
        ),
    }
}


# The rules behind the request schemas' patterns, in words: a person reads the message, and a
# regular expression tells a clerk nothing. A service registers its own with `pattern_rule`.
_PATTERN_RULES: dict[str, str] = {
    r"^\d{1,10}(\.\d{1,2})?$": "an amount in yuan with at most two decimals, e.g. '3011.00'",
    r"^\d{4}-(0[1-9]|1[0-2])$": "a month written YYYY-MM, e.g. '2026-11'",
    r"^20\d{2}-(0[1-9]|1[0-2])$": "a month written YYYY-MM, e.g. '2026-11'",
    r"^(0(\.\d+)?|1(\.0+)?)$": "a ratio from 0 to 1, e.g. '0.8'",
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$": (
        "a lower-case UUID, e.g. '0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90'"
    ),
    r"^\d{16}$": "16 digits (a union card number)",
    r"^[A-Za-z0-9-]+$": "letters, digits and '-'",
    r"^[a-z0-9][a-z0-9-]*$": "lower-case letters, digits and '-', not starting with '-'",
    ORG_PATH_PATTERN: f"an org path: {ORG_RULE}",
}


def pattern_rule(pattern: str, words: str) -> str:
    """Register the rule of a schema pattern in words; returns the pattern, for `Field`."""
    _PATTERN_RULES[pattern] = words
    return pattern


def pattern_in_words(pattern: str) -> str | None:
    """The rule of a schema pattern in words, as a 422 says it; None for a pattern nobody put
    in words (the contract tests refuse any such pattern in a service's request schemas)."""
    return _PATTERN_RULES.get(pattern)


_CLOSED_LIST = "closed_list"


def closed_list(vocabulary: Any, what: str) -> WrapValidator:
    """The check of a request field that takes a value of a closed list (a `Literal` of
    `union_events.published.vocabularies`), as `Annotated[Kind, closed_list(Kind, "kind")]`:
    the field is an enum in OpenAPI, and a value outside the list answers 422
    `invalid_<what>` with the list in words, as the domain's own check does (not
    `invalid_request` in pydantic's wording), when it is the request's only problem."""
    allowed = tuple(get_args(vocabulary))
    code = f"invalid_{what}"

    def check(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(value, str):
            value = value.strip()
        try:
            return handler(value)
        except ValidationError:
            if not isinstance(value, str):
                raise
            raise PydanticCustomError(
                _CLOSED_LIST,
                "unknown {what} {value}; it is one of {allowed}",
                {"what": what, "value": repr(value), "allowed": ", ".join(allowed), "code": code},
            ) from None

    return WrapValidator(check)


def _code(errors: Sequence[Any]) -> str:
    """`invalid_<what>` when the request's only problems are values outside one closed list."""
    codes = {(e.get("ctx") or {}).get("code") for e in errors if e.get("type") == _CLOSED_LIST}
    if len(codes) == 1 and all(e.get("type") == _CLOSED_LIST for e in errors):
        return str(codes.pop())
    return "invalid_request"


def _problem(error: Mapping[str, Any]) -> str:
    if error.get("type") == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        return f"should be {pattern_in_words(pattern) or 'written in the documented form'}"
    if error.get("type") == "value_error":  # a validator's rule in words, without "Value error, "
        return str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"])


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **details}}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, **exc.details), exc.status)

    @app.exception_handler(ConcurrencyError)
    async def _concurrency(_: Request, exc: ConcurrencyError) -> JSONResponse:
        message = "the record was changed by someone else; reload and try again"
        return JSONResponse(error_body("concurrent_change", message), 409)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "problem": _problem(e)}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{p['field'] or 'body'}: {p['problem']}" for p in problems)
        return JSONResponse(error_body(_code(exc.errors()), summary, fields=problems), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (not UTF-8, say)
            return JSONResponse(error_body("invalid_request", f"body: {exc.detail}"), 422)
        if isinstance(exc, BodyTooLarge):  # read past the limit (a body sent without a length)
            return JSONResponse(error_body("body_too_large", exc.detail, limit=exc.limit), 413)
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        body = error_body(code.get(exc.status_code, "http_error"), str(exc.detail))
        return JSONResponse(body, exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its trace for the operators; the caller gets no internals.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "an internal error occurred"), 500)
