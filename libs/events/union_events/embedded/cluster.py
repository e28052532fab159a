"""A JetStream cluster on one machine: three (or more) `nats-server` processes on loopback,
random ports, routes to each other. For tests of replication and node loss, and for trying
the production topology by hand.

    with NatsCluster(tmp_path) as cluster:      # three nodes, ready once they elected a leader
        os.environ["NATS_URL"] = cluster.urls   # nats://127.0.0.1:A,nats://127.0.0.1:B,...
        cluster.kill("n2"); cluster.start_node("n2")

In async code: `cluster.start()`, then `await cluster.wait_ready()`.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

from union_events.embedded import _proc
from union_events.embedded.nats import NatsServer, NatsServerError


class NatsCluster:
    """`size` clustered JetStream servers named n1..nN, each with its own store dir."""

    def __init__(
        self, root: Path, size: int = 3, *, name: str = "union", host: str = "127.0.0.1"
    ) -> None:
        self.root = Path(root).absolute()
        self.name = name
        self.host = host
        names = [f"n{i}" for i in range(1, size + 1)]
        self.route_ports = {n: _proc.free_port(host) for n in names}
        self.monitor_ports = {n: _proc.free_port(host) for n in names}  # /jsz, /healthz
        self.nodes: dict[str, NatsServer] = {}
        for n in names:
            store = self.root / n
            store.mkdir(parents=True, exist_ok=True)
            config = store / "cluster.conf"
            config.write_text(self._config(n, store))
            # JetStream and its store dir come from NatsServer's command line (-js -sd); the
            # config writes no log file: the output goes to <store>/nats-server.log.
            self.nodes[n] = NatsServer(
                store_dir=store, port=_proc.free_port(host), host=host, config_file=config
            )

    def _config(self, node: str, store: Path) -> str:
        routes = ", ".join(
            f"nats-route://{self.host}:{port}"
            for other, port in self.route_ports.items()
            if other != node
        )
        return (
            f"server_name: {node}\n"
            f"http: {self.host}:{self.monitor_ports[node]}\n"
            f"cluster {{\n  name: {self.name}\n"
            f"  listen: {self.host}:{self.route_ports[node]}\n"
            f"  routes: [{routes}]\n}}\n"
        )

    @property
    def urls(self) -> str:
        """Every node's client URL, comma-separated: what NATS_URL takes."""
        return ",".join(node.url for node in self.nodes.values())

    @property
    def servers(self) -> list[str]:
        return [node.url for node in self.nodes.values()]

    def node_by_url(self, url: str) -> str:
        return next(n for n, node in self.nodes.items() if node.url == url)

    def local_stream_state(self, node: str, stream: str) -> dict[str, Any] | None:
        """What `node` itself holds of `stream` (its monitoring endpoint /jsz): its copy's
        `state` (messages, last_seq...) and `cluster` view, or None if it has none."""
        url = (
            f"http://{self.host}:{self.monitor_ports[node]}/jsz?accounts=true&streams=true"
            "&config=true"
        )
        with urllib.request.urlopen(url, timeout=5) as answer:
            jsz = json.load(answer)
        for account in jsz.get("account_details") or []:
            for detail in account.get("stream_detail") or []:
                if detail.get("name") == stream:
                    return dict(detail)
        return None

    def start(self) -> NatsCluster:
        """Spawn every node (each accepts clients at once; `wait_ready` waits for JetStream)."""
        for node in self.nodes.values():
            node.start()
        return self

    def start_node(self, name: str) -> None:
        """Start (again) one node, with its store dir: it catches up from the others."""
        self.nodes[name].start()

    def kill(self, name: str) -> None:
        """SIGKILL one node."""
        self.nodes[name].kill()

    def stop(self) -> None:
        for node in self.nodes.values():
            node.stop()

    async def wait_ready(self, timeout: float = 30.0) -> None:
        """Until a stream with one replica per node can be created: the nodes elected a meta
        leader and it knows every peer (before that, R3 fails with "no suitable peers")."""
        import nats
        from nats.js.api import StorageType, StreamConfig

        probe = StreamConfig(
            name="CLUSTER_PROBE", subjects=["cluster.probe"], num_replicas=len(self.nodes),
            storage=StorageType.MEMORY,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                nc = await nats.connect(servers=self.servers, connect_timeout=1)
            except Exception as exc:
                last = exc
            else:
                try:
                    js = nc.jetstream(timeout=2)
                    await js.add_stream(probe)
                    await js.delete_stream("CLUSTER_PROBE")
                    return
                except Exception as exc:  # no leader yet, or not every peer known to it
                    last = exc
                finally:
                    await nc.close()
            await asyncio.sleep(0.2)
        raise NatsServerError(f"the cluster was not ready within {timeout}s: {last!r}")

    def __enter__(self) -> NatsCluster:
        self.start()
        asyncio.run(self.wait_ready())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
