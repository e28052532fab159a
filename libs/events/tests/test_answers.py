"""An answer's model is exact: a field the route returns but the model lacks is an error the
tests see, never a field FastAPI drops in silence; and every answer a test receives is held
to the OpenAPI document (`AnswerChecker`)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from union_events.answers import Answer, MoneyText
from union_events.errors_http import install_error_handlers
from union_events.testing.conformance import AnswerBreaksTheDocument, AnswerChecker


class Paid(Answer):
    claim_id: str
    amount: MoneyText


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/claims/{claim_id}", response_model=Paid)
    async def claim(claim_id: str, extra: bool = False) -> dict[str, Any]:
        answer = {"claim_id": claim_id, "amount": "3011.00"}
        return answer | {"paid_on": "2026-11-30"} if extra else answer

    @app.get("/raw/{amount}", response_model=Paid)
    async def raw(amount: str) -> JSONResponse:  # bypasses the model, as /readyz does
        return JSONResponse({"claim_id": "c-1", "amount": amount})

    return app


def _client(app: FastAPI, checked: bool) -> httpx.AsyncClient:
    hooks = {"response": [AnswerChecker(app)]} if checked else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://service",
        event_hooks=hooks,
    )


async def test_a_field_the_model_lacks_is_an_error_not_a_silent_drop() -> None:
    async with _client(_app(), checked=False) as client:
        ok = await client.get("/claims/c-1")
        unmodelled = await client.get("/claims/c-1", params={"extra": "true"})
    assert ok.json() == {"claim_id": "c-1", "amount": "3011.00"}
    assert unmodelled.status_code == 500
    assert unmodelled.json()["error"]["code"] == "internal_error"


def test_the_document_says_answers_are_exact_and_money_has_two_places() -> None:
    schema = _app().openapi()["components"]["schemas"]["Paid"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["amount"]["pattern"] == r"^-?\d{1,12}\.\d{2}$"


async def test_an_answer_that_breaks_the_document_fails_the_test_that_received_it() -> None:
    async with _client(_app(), checked=True) as client:
        assert (await client.get("/raw/3011.00")).status_code == 200
        with pytest.raises(AnswerBreaksTheDocument, match=r"GET /raw/\{amount\} answered 200"):
            await client.get("/raw/3011.5")
        assert (await client.get("/claims/c-1")).status_code == 200  # checked and conforming
