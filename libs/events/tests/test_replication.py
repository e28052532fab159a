"""Replicated streams and consumers on a real 3-node JetStream cluster: created with
STREAM_REPLICAS replicas and file storage; what an operator changed afterwards is never set
back at a restart. And STREAM_REPLICAS on a single server, NATS_URL with several servers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import nats
import pytest
from nats.js import JetStreamContext
from nats.js.api import Placement, StorageType
from nats.js.errors import BadRequestError
from pydantic import ValidationError
from union_events.consumer import ConsumerSpec
from union_events.embedded import NatsCluster
from union_events.provisioning import ReplicationError
from union_events.service import ServiceDefinition, start_runtime, stop_runtime
from union_events.settings import ServiceSettings
from union_events.testing.waiting import eventually

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
async def js(nats_cluster: NatsCluster) -> AsyncIterator[JetStreamContext]:
    nc = await nats.connect(servers=nats_cluster.servers)
    try:
        yield nc.jetstream()
    finally:
        await nc.close()


async def _ignore(conn: Any, event: Any) -> None:
    return None


def service(tag: str) -> ServiceDefinition:
    """A service `s<tag>` that consumes a producer's stream `P<TAG>` no one created yet."""
    spec = ConsumerSpec(f"s{tag}_hears_p{tag}", f"P{tag.upper()}", f"union.p{tag}.>", _ignore)
    return ServiceDefinition(name=f"s{tag}", consumers=[spec])


def settings(nats_url: str, tmp_path: Path, **overrides: Any) -> ServiceSettings:
    return ServiceSettings(
        nats_url=nats_url, database_url=f"sqlite+aiosqlite:///{tmp_path}/s.db", **overrides
    )


async def run_once(definition: ServiceDefinition, configured: ServiceSettings) -> None:
    runtime = await start_runtime(definition, configured)
    await stop_runtime(runtime)


async def test_a_service_creates_its_streams_and_consumers_with_stream_replicas_on_file(
    nats_cluster: NatsCluster, js: JetStreamContext, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    # NATS_URL lists the three nodes, comma-separated, as the k8s and compose files may
    await run_once(service(tag), settings(nats_cluster.urls, tmp_path, stream_replicas=3))

    for name in (f"S{tag.upper()}", f"DLQ_S{tag.upper()}", f"P{tag.upper()}"):
        info = await js.stream_info(name)
        assert info.config.num_replicas == 3, name
        assert info.config.storage == StorageType.FILE, name
        assert info.config.max_age in (None, 0) and info.config.max_msgs in (None, -1), name
        assert info.cluster is not None and len(info.cluster.replicas or []) == 2, name
    consumer = await js.consumer_info(f"P{tag.upper()}", f"s{tag}_hears_p{tag}")
    assert consumer.config.num_replicas == 0  # "as many as its stream", and it follows it
    assert consumer.cluster is not None and len(consumer.cluster.replicas or []) == 2


async def test_a_restart_never_sets_back_replicas_limits_or_placement_an_operator_changed(
    nats_cluster: NatsCluster, js: JetStreamContext, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    definition = service(tag)
    await run_once(definition, settings(nats_cluster.urls, tmp_path, stream_replicas=3))
    own, source, durable = f"S{tag.upper()}", f"P{tag.upper()}", f"s{tag}_hears_p{tag}"

    # The operator: one replica less on the service's stream, limits, a placement; limits on
    # the source stream; one replica for the durable consumer.
    edited = (await js.stream_info(own)).config
    edited.num_replicas, edited.max_age, edited.max_msgs = 2, 30 * 86400.0, 1_000_000
    edited = (await js.update_stream(edited)).config
    edited.placement = Placement(cluster=nats_cluster.name)  # not with a scale at once

    async def placed() -> bool:
        try:
            await js.update_stream(edited)
        except BadRequestError as exc:  # 10226: the scale is still in progress
            if exc.err_code != 10226:
                raise
            return False
        return True

    await eventually(placed, timeout=20, interval=0.2, message="placement set")
    source_config = (await js.stream_info(source)).config
    source_config.max_bytes = 512 * 1024 * 1024
    await js.update_stream(source_config)
    consumer = (await js.consumer_info(source, durable)).config
    consumer.num_replicas = 1
    await js.add_consumer(source, consumer)  # create-or-update, as `nats consumer edit`

    # Restarted, with a new duplicate window (the one field of the stream that is the service's)
    await run_once(
        definition,
        settings(nats_cluster.urls, tmp_path, stream_replicas=3, duplicate_window_s=60.0),
    )

    found = (await js.stream_info(own)).config
    assert (found.num_replicas, found.max_age, found.max_msgs) == (2, 30 * 86400.0, 1_000_000)
    assert found.placement is not None and found.placement.cluster == nats_cluster.name
    assert found.duplicate_window == 60.0
    assert found.subjects == [f"union.s{tag}.>"]
    source_found = (await js.stream_info(source)).config
    assert (source_found.num_replicas, source_found.max_bytes) == (3, 512 * 1024 * 1024)
    assert (await js.consumer_info(source, durable)).config.num_replicas == 1


async def test_consumers_follow_their_stream_when_an_operator_scales_an_r1_stream_up(
    nats_cluster: NatsCluster, js: JetStreamContext, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    source, durable = f"P{tag.upper()}", f"s{tag}_hears_p{tag}"
    await js.add_stream(name=source, subjects=[f"union.p{tag}.>"])  # R1, as before this issue
    await run_once(service(tag), settings(nats_cluster.urls, tmp_path, stream_replicas=3))
    assert (await js.stream_info(source)).config.num_replicas == 1  # left alone
    assert not (await js.consumer_info(source, durable)).cluster.replicas  # R1 with it

    scaled = (await js.stream_info(source)).config
    scaled.num_replicas = 3  # the operator: nats stream edit P... --replicas 3
    await js.update_stream(scaled)

    async def consumer_scaled() -> bool:
        info = await js.consumer_info(source, durable)
        return info.cluster is not None and len(info.cluster.replicas or []) == 2

    await eventually(consumer_scaled, timeout=20, interval=0.2, message="consumer R3")


async def test_on_one_server_the_default_is_one_replica_and_three_is_refused_by_name(
    nats_url: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    await run_once(service(tag), settings(nats_url, tmp_path))
    nc = await nats.connect(nats_url)
    try:
        info = await nc.jetstream().stream_info(f"S{tag.upper()}")
        assert (info.config.num_replicas, info.config.storage) == (1, StorageType.FILE)
    finally:
        await nc.close()

    other = uuid.uuid4().hex[:8]
    with pytest.raises(ReplicationError, match="STREAM_REPLICAS=3"):
        await start_runtime(service(other), settings(nats_url, tmp_path, stream_replicas=3))


def test_nats_url_takes_several_servers_and_stream_replicas_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NATS_URL", "nats://n1:4222, nats://n2:4222,nats://n3:4222")
    monkeypatch.setenv("STREAM_REPLICAS", "3")
    configured = ServiceSettings()
    assert configured.nats_servers() == ["nats://n1:4222", "nats://n2:4222", "nats://n3:4222"]
    assert configured.stream_replicas == 3
    monkeypatch.delenv("STREAM_REPLICAS")
    assert ServiceSettings().stream_replicas == 1
    monkeypatch.setenv("STREAM_REPLICAS", "0")
    with pytest.raises(ValidationError):
        ServiceSettings()
