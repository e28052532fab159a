"""The city-wide reads the console keeps a short while (hospital registry, plan-year rules)."""

from __future__ import annotations

import asyncio

import pytest
from console.clients import ServiceError, SharedReads


class Claims:
    def __init__(self) -> None:
        self.asked = 0
        self.down = False

    async def hospitals(self) -> dict[str, list[str]]:
        self.asked += 1
        if self.down:
            raise ServiceError("claims", 503, "service_unavailable")
        return {"hospitals": [f"answer {self.asked}"]}


def test_an_answer_serves_every_page_until_it_is_older_than_the_ttl() -> None:
    async def scenario() -> None:
        claims, reads = Claims(), SharedReads(ttl_s=0.2)
        first = await reads.get("/hospitals", claims.hospitals)
        second = await reads.get("/hospitals", claims.hospitals)
        assert first == second == {"hospitals": ["answer 1"]}
        assert claims.asked == 1
        await asyncio.sleep(0.25)
        assert await reads.get("/hospitals", claims.hospitals) == {"hospitals": ["answer 2"]}

    asyncio.run(scenario())


def test_a_refusal_is_not_kept_and_a_write_forgets_what_it_changes() -> None:
    async def scenario() -> None:
        claims, reads = Claims(), SharedReads(ttl_s=60, settle_s=0.2)
        claims.down = True
        with pytest.raises(ServiceError):
            await reads.get("/hospitals", claims.hospitals)
        claims.down = False
        assert await reads.get("/hospitals", claims.hospitals) == {"hospitals": ["answer 2"]}
        reads.forget("/hospitals")  # the console registered a hospital
        assert await reads.get("/hospitals", claims.hospitals) == {"hospitals": ["answer 3"]}
        # claims' read model may not show the write yet: asked again until it settled
        assert await reads.get("/hospitals", claims.hospitals) == {"hospitals": ["answer 4"]}
        await asyncio.sleep(0.25)
        assert await reads.get("/hospitals", claims.hospitals) == {"hospitals": ["answer 5"]}
        assert await reads.get("/hospitals", claims.hospitals) == {"hospitals": ["answer 5"]}

    asyncio.run(scenario())
