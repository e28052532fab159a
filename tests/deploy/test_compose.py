"""docker-compose.yml, checked offline (no Docker engine here): the compose JSON schema, and
every service, port, volume, variable and dependency against what the code actually reads."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from unionctl.environment import console_variables, service_variables
from unionctl.services import DEFAULT_BASE_PORT, SERVICES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
PORTS = {name: DEFAULT_BASE_PORT + i for i, name in enumerate(SERVICES)}  # as `unionctl up`


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_the_compose_file_passes_the_compose_specification_schema() -> None:
    check = Path(sys.executable).parent / "check-jsonschema"
    args = [str(check), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_runs_nats_with_jetstream_on_a_volume_and_postgres_with_a_database_per_service(
    compose: dict,
) -> None:
    nats = compose["services"]["nats"]
    conf = (ROOT / "deploy/compose/nats.conf").read_text()
    assert "jetstream" in conf and "store_dir: /data" in conf
    assert "nats-data:/data" in nats["volumes"]
    postgres = compose["services"]["postgres"]
    init = next(v for v in postgres["volumes"] if "docker-entrypoint-initdb.d" in v)
    sql = (ROOT / init.split(":")[0]).read_text()
    assert set(re.findall(r"CREATE DATABASE (\w+);", sql)) == {*SERVICES, "console"}
    for name in ("nats", "postgres"):
        assert compose["services"][name]["healthcheck"]["test"]


def test_every_named_volume_is_declared_and_every_bind_mount_exists(compose: dict) -> None:
    declared = set(compose["volumes"])
    used = set()
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), (name, source)
            else:
                used.add(source)
    assert used == declared


def test_depends_on_names_services_that_exist_and_waits_for_health(compose: dict) -> None:
    services = compose["services"]
    for name, service in services.items():
        for target, condition in service.get("depends_on", {}).items():
            assert target in services, (name, target)
            assert condition["condition"] == "service_healthy", (name, target)
            assert "healthcheck" in services[target], target
            assert "profiles" not in services[target], (name, target)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_listens_and_is_checked_on_the_unionctl_port(
    compose: dict, service: str
) -> None:
    spec = compose["services"][service]
    port = PORTS[service]
    assert spec["command"] == [service, str(port)]  # deploy/docker/entrypoint.sh SERVICE PORT
    assert spec["ports"] == [f"{port}:{port}"]
    assert spec["build"]["dockerfile"] == "Dockerfile"
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(spec["healthcheck"]["test"])
    assert {"nats", "postgres"} <= set(spec["depends_on"])


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_only_variables_its_code_reads(compose: dict, service: str) -> None:
    environment = compose["services"][service]["environment"]
    known = {v.name for v in service_variables(service)}
    assert set(environment) - known == set()
    assert environment["SERVICE_NAME"] == service
    assert environment["NATS_URL"] == "nats://nats:4222"
    assert environment["DATABASE_URL"].startswith("postgresql://")
    assert environment["DATABASE_URL"].endswith(f"@postgres:5432/{service}")
    assert environment["NATS_USER"] == service
    # one NATS server: one replica per stream (a cluster's operator sets STREAM_REPLICAS=3)
    assert environment["STREAM_REPLICAS"] == "${STREAM_REPLICAS:-1}"


def test_the_console_listens_on_8100_once_the_four_services_are_healthy(compose: dict) -> None:
    console = compose["services"]["console"]
    assert console["command"] == ["console", "8100"]  # deploy/docker/entrypoint.sh
    assert console["ports"] == ["8100:8100"]
    assert console["build"]["dockerfile"] == "Dockerfile"
    assert "http://127.0.0.1:8100/readyz" in " ".join(console["healthcheck"]["test"])
    assert set(console["depends_on"]) == {*SERVICES, "postgres"}
    assert "union-keys:/app/data/keys" in console["volumes"]  # the key the services verify


def test_the_console_gets_only_variables_its_code_reads_and_reaches_each_service(
    compose: dict,
) -> None:
    environment = compose["services"]["console"]["environment"]
    known = {v.name for v in console_variables()}
    assert set(environment) - known == set()
    for service in SERVICES:
        assert environment[f"CONSOLE_{service.upper()}_URL"] == f"http://{service}:{PORTS[service]}"
    assert environment["CONSOLE_DATABASE_URL"].startswith("postgresql://")
    assert environment["CONSOLE_DATABASE_URL"].endswith("@postgres:5432/console")
    assert environment["CONSOLE_DATA_DIR"] == "/app/data"
    for name in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "ROLE_CLAIM", "ORG_CLAIM"):
        assert environment[f"CONSOLE_OIDC_{name}"].startswith(f"${{CONSOLE_OIDC_{name}")
    entrypoint = (ROOT / "deploy/docker/entrypoint.sh").read_text()
    assert "|console)" in entrypoint and "COPY apps apps" in (ROOT / "Dockerfile").read_text()


def test_each_service_has_its_own_nats_user_allowed_to_publish_only_its_own_events() -> None:
    conf = (ROOT / "deploy/compose/nats.conf").read_text()
    for service in SERVICES:
        block = re.search(rf"user: {service},.*?publish: \[(.*?)\]", conf, re.S)
        assert block, service
        subjects = re.findall(r'"([^"]+)"', block.group(1))
        events = [s for s in subjects if s.startswith("union.")]
        assert events == [f"union.{service}.>", f"union.dlq.{service}.>"]


def test_the_nats_config_is_valid_for_nats_server(tmp_path: Path) -> None:
    conf = (ROOT / "deploy/compose/nats.conf").read_text().replace("/data", str(tmp_path))
    (tmp_path / "nats.conf").write_text(conf)
    env = {f"{s.upper()}_NATS_PASSWORD": "x" for s in (*SERVICES, "subscriber")}
    server = Path(sys.executable).parent / "nats-server"
    result = subprocess.run(
        [str(server), "-t", "-c", str(tmp_path / "nats.conf")],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tracing_profile_is_optional_and_the_services_can_reach_it(compose: dict) -> None:
    jaeger = compose["services"]["jaeger"]
    assert jaeger["profiles"] == ["tracing"]
    assert "4318:4318" in jaeger["ports"]
    for service in SERVICES:
        env = compose["services"][service]["environment"]
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://jaeger:4318"
        assert env["OTEL_TRACES_EXPORTER"].startswith("${OTEL_TRACES_EXPORTER")


def test_the_image_copies_the_whole_workspace_and_runs_as_a_non_root_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    members = tomllib_members()
    for member in members:
        assert f"COPY {member}/pyproject.toml {member}/" in dockerfile, member
    for source in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
        assert (ROOT / source).exists(), source
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert "uv sync --frozen --no-dev" in dockerfile
    entrypoint = ROOT / "deploy/docker/entrypoint.sh"
    assert entrypoint.stat().st_mode & 0o111
    assert subprocess.run(["sh", "-n", str(entrypoint)]).returncode == 0
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in " ".join(ignored) and ".union" in ignored


def tomllib_members() -> list[str]:
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["uv"]["workspace"]["members"]
    found = []
    for pattern in patterns:
        found += [str(p.parent.relative_to(ROOT)) for p in ROOT.glob(f"{pattern}/pyproject.toml")]
    return sorted(found)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_as_an_api_and_a_worker_from_one_image(compose: dict, service: str):
    api, worker = compose["services"][service], compose["services"][f"{service}-worker"]
    assert (api["environment"]["SERVICE_ROLE"], worker["environment"]["SERVICE_ROLE"]) == (
        "api",
        "worker",
    )
    assert worker["image"] == api["image"] and worker["command"] == api["command"]
    others = {k: v for k, v in worker["environment"].items() if k != "SERVICE_ROLE"}
    assert others == {k: v for k, v in api["environment"].items() if k != "SERVICE_ROLE"}
    assert "ports" not in worker  # nothing but its probes reaches the worker
