"""A service starting while its JetStream cluster cannot answer yet (still electing a leader
after a restart of the nodes, or two of three down): it waits for the cluster, up to
JETSTREAM_WAIT_S, instead of failing on the first timeout or 503 ("no responders", "JetStream
system temporarily unavailable", "no suitable peers"). Each test runs its own cluster: it kills
nodes."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import nats
import pytest
from nats.js.api import StorageType
from nats.js.errors import BadRequestError, ServiceUnavailableError
from union_events.consumer import ConsumerSpec
from union_events.embedded import NatsCluster
from union_events.provisioning import ReplicationError, patiently
from union_events.service import ServiceDefinition, start_runtime, stop_runtime
from union_events.settings import ServiceSettings

pytestmark = pytest.mark.timeout(150)


async def _ignore(conn: object, event: object) -> None:
    return None


def service(tag: str) -> ServiceDefinition:
    spec = ConsumerSpec(f"s{tag}_hears_p{tag}", f"P{tag.upper()}", f"union.p{tag}.>", _ignore)
    return ServiceDefinition(name=f"s{tag}", consumers=[spec])


def settings(cluster: NatsCluster, tmp_path: Path, **overrides: object) -> ServiceSettings:
    return ServiceSettings(
        nats_url=cluster.urls,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/s.db",
        stream_replicas=3,
        **overrides,
    )


async def test_a_service_started_while_the_cluster_has_no_quorum_waits_and_starts_after(
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:8]
    cluster = NatsCluster(tmp_path / "nats")
    try:
        cluster.start()
        await cluster.wait_ready()
        cluster.kill("n2")
        cluster.kill("n3")  # n1 alone: no meta leader, JetStream cannot answer

        starting = asyncio.create_task(start_runtime(service(tag), settings(cluster, tmp_path)))
        await asyncio.sleep(6.0)  # past the 5 s JetStream API timeout: it would have failed
        assert not starting.done(), starting.exception() if starting.done() else None

        cluster.start_node("n2")
        cluster.start_node("n3")
        runtime = await asyncio.wait_for(starting, timeout=45)
        try:
            assert runtime.store.refusal is None
            nc = await nats.connect(servers=cluster.servers)
            try:
                js = nc.jetstream()
                for name in (f"S{tag.upper()}", f"DLQ_S{tag.upper()}", f"P{tag.upper()}"):
                    info = await js.stream_info(name)
                    assert (info.config.num_replicas, info.config.storage) == (
                        3,
                        StorageType.FILE,
                    ), name
            finally:
                await nc.close()
        finally:
            await stop_runtime(runtime)
    finally:
        cluster.stop()


async def test_a_cluster_that_never_comes_back_fails_the_start_up_by_name_after_the_wait(
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:8]
    cluster = NatsCluster(tmp_path / "nats")
    try:
        cluster.start()
        await cluster.wait_ready()
        cluster.kill("n2")
        cluster.kill("n3")
        began = time.monotonic()
        with pytest.raises(ReplicationError, match="JetStream did not answer") as raised:
            await start_runtime(service(tag), settings(cluster, tmp_path, jetstream_wait_s=8))
        waited = time.monotonic() - began
        assert 8 <= waited < 25, waited
        assert "JETSTREAM_WAIT_S" in str(raised.value)
    finally:
        cluster.stop()


async def test_patiently_asks_again_only_what_a_cluster_says_while_it_cannot_answer() -> None:
    """Timeouts, 503 and "no suitable peers" are asked again; any other refusal is final."""
    answers: list[BaseException | str] = [
        TimeoutError(),
        ServiceUnavailableError(code=503, err_code=10008, description="temporarily unavailable"),
        BadRequestError(code=400, err_code=10005, description="no suitable peers for placement"),
        "created",
    ]

    async def step() -> str:
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    assert await patiently(step, "stream SX", wait_s=10) == "created"
    assert answers == []

    async def refused() -> str:
        answers.append("asked")
        raise BadRequestError(code=400, err_code=10052, description="subjects overlap")

    with pytest.raises(BadRequestError, match="subjects overlap"):
        await patiently(refused, "stream SX", wait_s=10)
    assert answers == ["asked"]  # once: waiting would not change it
