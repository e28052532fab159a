"""deploy/k8s, checked offline: each overlay built by kustomize (the kubectl wheel's), every
object validated against the Kubernetes OpenAPI schemas bundled in `kubernetes-validate`,
and the objects checked against each other and against the code (ports, variables)."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from unionctl.environment import console_variables, service_variables
from unionctl.services import DEFAULT_BASE_PORT, SERVICES

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBECTL = Path(sys.executable).parent / "kubectl"
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
PORTS = {name: DEFAULT_BASE_PORT + i for i, name in enumerate(SERVICES)}


def kustomize(directory: Path) -> list[dict]:
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(directory)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Both overlays; prod's secret files made from their .example files, as a user would."""
    copy = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S, copy)
    for example in (copy / "overlays/prod/secrets").glob("*.example"):
        shutil.copy(example, example.with_suffix(""))
    return {overlay: kustomize(copy / "overlays" / overlay) for overlay in ("dev", "prod")}


def by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def test_the_prod_overlay_does_not_build_without_its_secret_files() -> None:
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(K8S / "overlays/prod")], capture_output=True, timeout=60
    )
    assert result.returncode != 0


@pytest.mark.parametrize("overlay", ["dev", "prod"])
@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_object_passes_the_kubernetes_schema(built, overlay: str, version: str) -> None:
    errors = []
    for obj in built[overlay]:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {exc.message}")
    assert errors == []
    assert len(built[overlay]) >= 40


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_service_replicates_its_streams_on_each_of_the_three_nats_nodes(
    built, overlay: str
) -> None:
    nodes = by_kind(built[overlay], "StatefulSet")["nats"]["spec"]["replicas"]
    configs = by_kind(built[overlay], "ConfigMap")
    for service in SERVICES:
        assert configs[f"{service}-config"]["data"]["STREAM_REPLICAS"] == "3", service
    assert nodes == 3


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_nats_is_a_three_node_jetstream_cluster_on_persistent_volumes(built, overlay) -> None:
    nats = by_kind(built[overlay], "StatefulSet")["nats"]
    assert nats["spec"]["replicas"] == 3
    assert nats["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    config = by_kind(built[overlay], "ConfigMap")["nats-config"]["data"]["nats.conf"]
    assert "jetstream" in config
    assert all(f"nats://nats-{i}.nats-headless:6222" in config for i in range(3))
    postgres = by_kind(built[overlay], "StatefulSet")["postgres"]
    init = by_kind(built[overlay], "ConfigMap")["postgres-init"]["data"]["10-databases.sql"]
    assert all(f"CREATE DATABASE {s};" in init for s in SERVICES)
    assert postgres["spec"]["volumeClaimTemplates"]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_probes_resources_autoscaler_budget_and_policy(
    built, overlay: str, service: str
) -> None:
    objects = built[overlay]
    deployment = by_kind(objects, "Deployment")[service]
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"requests", "limits"} <= set(container["resources"])
    assert container["args"] == [service, str(PORTS[service])]
    assert container["ports"][0]["containerPort"] == PORTS[service]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert by_kind(objects, "Service")[service]["spec"]["ports"][0]["port"] == PORTS[service]
    hpa = by_kind(objects, "HorizontalPodAutoscaler")[service]
    assert hpa["spec"]["scaleTargetRef"]["name"] == service
    assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    labels = pod["metadata"]["labels"]
    for kind in ("PodDisruptionBudget",):
        selector = by_kind(objects, kind)[service]["spec"]["selector"]["matchLabels"]
        assert selector.items() <= labels.items()
    policy = by_kind(objects, "NetworkPolicy")[service]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items()
    assert {"Ingress", "Egress"} == set(policy["policyTypes"])


@pytest.mark.parametrize("overlay", ["dev", "prod"])
@pytest.mark.parametrize("service", SERVICES)
def test_each_service_reads_only_known_variables_from_existing_configmaps_and_secrets(
    built, overlay: str, service: str
) -> None:
    objects = built[overlay]
    configmaps, secrets = by_kind(objects, "ConfigMap"), by_kind(objects, "Secret")
    pod = by_kind(objects, "Deployment")[service]["spec"]["template"]["spec"]
    variables: set[str] = set()
    for source in pod["containers"][0]["envFrom"]:
        if "configMapRef" in source:
            variables |= set(configmaps[source["configMapRef"]["name"]]["data"])
        else:
            secret = secrets[source["secretRef"]["name"]]
            variables |= set(secret.get("stringData") or secret.get("data") or {})
    for volume in pod["volumes"]:
        if "secret" in volume:
            assert volume["secret"]["secretName"] in secrets
    known = {v.name for v in service_variables(service)}
    assert variables - known == set()
    assert {"DATABASE_URL", "NATS_URL", "NATS_USER", "NATS_PASSWORD"} <= variables
    if service in ("members", "relief"):  # else each replica would make its own key
        assert f"{service.upper()}_SECRET" in variables


def test_the_prod_overlay_takes_every_secret_from_the_operators_files(built) -> None:
    secrets = by_kind(built["prod"], "Secret")
    members = secrets["members-secrets"]["data"]
    assert set(members) == {"NATS_PASSWORD", "DATABASE_URL", "MEMBERS_SECRET"}
    for name, secret in secrets.items():
        assert "stringData" not in secret, name  # the base's development values are gone
        values = [base64.b64decode(v).decode() for v in secret["data"].values()]
        assert not any("-dev" in v or "dev-only" in v for v in values), name


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_console_runs_non_root_read_only_with_probes_on_8100(built, overlay: str) -> None:
    objects = built[overlay]
    deployment = by_kind(objects, "Deployment")["console"]
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert container["args"] == ["console", "8100"]  # deploy/docker/entrypoint.sh
    assert container["ports"][0]["containerPort"] == 8100
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert {"requests", "limits"} <= set(container["resources"])
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert by_kind(objects, "Service")["console"]["spec"]["ports"][0]["port"] == 8100
    labels = pod["metadata"]["labels"]
    budget = by_kind(objects, "PodDisruptionBudget")["console"]["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    assert budget["minAvailable"] < deployment["spec"]["replicas"] or overlay == "dev"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_console_may_reach_the_four_services_and_be_reached_on_8100(built, overlay) -> None:
    objects = built[overlay]
    labels = by_kind(objects, "Deployment")["console"]["spec"]["template"]["metadata"]["labels"]
    policy = by_kind(objects, "NetworkPolicy")["console"]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= labels.items()
    assert {"Ingress", "Egress"} == set(policy["policyTypes"])
    assert [p["port"] for rule in policy["ingress"] for p in rule["ports"]] == [8100]
    egress = {
        (peer.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name"), port)
        for rule in policy["egress"]
        for peer in rule["to"]
        for port in [p["port"] for p in rule["ports"]]
    }
    for service in SERVICES:
        assert (service, PORTS[service]) in egress, service
        # and the service lets it in: its policy admits its port from any pod
        ingress = by_kind(objects, "NetworkPolicy")[service]["spec"]["ingress"]
        assert any(
            "from" not in rule and PORTS[service] in [p["port"] for p in rule["ports"]]
            for rule in ingress
        ), service
    assert ("postgres", 5432) in egress
    postgres = by_kind(objects, "NetworkPolicy")["postgres"]["spec"]["ingress"][0]["from"]
    assert any(peer["podSelector"]["matchLabels"].items() <= labels.items() for peer in postgres)
    init = by_kind(objects, "ConfigMap")["postgres-init"]["data"]["10-databases.sql"]
    assert "CREATE DATABASE console;" in init


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_console_reads_only_its_variables_and_signs_with_the_services_key(
    built, overlay: str
) -> None:
    objects = built[overlay]
    configmaps, secrets = by_kind(objects, "ConfigMap"), by_kind(objects, "Secret")
    pod = by_kind(objects, "Deployment")["console"]["spec"]["template"]["spec"]
    values: dict[str, str] = {}
    for source in pod["containers"][0]["envFrom"]:
        if "configMapRef" in source:
            values |= configmaps[source["configMapRef"]["name"]]["data"]
        else:
            secret = secrets[source["secretRef"]["name"]]
            values |= secret.get("stringData") or {
                k: base64.b64decode(v).decode() for k, v in secret["data"].items()
            }
    known = {v.name for v in console_variables()}
    assert set(values) - known == set()
    for service in SERVICES:
        assert values[f"CONSOLE_{service.upper()}_URL"] == f"http://{service}:{PORTS[service]}"
    assert values["CONSOLE_DATABASE_URL"].endswith("@postgres:5432/console")
    assert {"CONSOLE_SECRET", "CONSOLE_OIDC_CLIENT_SECRET"} <= set(values)
    mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["mountPath"] == "/app/keys")
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    key_secret = secrets[volume["secret"]["secretName"]]
    assert values["CONSOLE_SIGNING_KEY_FILE"] == "/app/keys/jwt_ed25519.pem"
    assert set(key_secret["data"]) == {"jwt_ed25519.pem"}
    if overlay == "prod":
        assert values["CONSOLE_COOKIE_SECURE"] == "true"
        assert values["CONSOLE_OIDC_ISSUER"].startswith("https://")
    else:  # the committed development key pair: the console's tokens pass the services' check
        from cryptography.hazmat.primitives import serialization
        from union_events.tokens import issue_token, verify_token

        private = base64.b64decode(key_secret["data"]["jwt_ed25519.pem"])
        public = next(s for n, s in secrets.items() if n.startswith("union-jwt"))
        public_pem = base64.b64decode(public["data"]["jwt_ed25519.pub.pem"])
        serialization.load_pem_private_key(private, password=None)
        token = issue_token(private, subject="oidc:li.na", role="clerk", org="zhoushan/putuo")
        assert verify_token(token, public_pem)["sub"] == "oidc:li.na"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_an_api_and_a_worker_deployment_and_traffic_goes_to_the_api(
    built, overlay: str, service: str
) -> None:
    objects = built[overlay]
    deployments = by_kind(objects, "Deployment")

    def role(name: str) -> str:
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        return {e["name"]: e["value"] for e in container.get("env", [])}["SERVICE_ROLE"]

    assert (role(service), role(f"{service}-worker")) == ("api", "worker")
    worker = deployments[f"{service}-worker"]["spec"]["template"]
    api = deployments[service]["spec"]["template"]
    # the same image, configuration and secrets: one code, two processes
    assert worker["spec"]["containers"][0]["image"] == api["spec"]["containers"][0]["image"]
    assert worker["spec"]["containers"][0]["envFrom"] == api["spec"]["containers"][0]["envFrom"]
    selector = by_kind(objects, "Service")[service]["spec"]["selector"]
    assert selector.items() <= api["metadata"]["labels"].items()
    assert not selector.items() <= worker["metadata"]["labels"].items()
    policy = by_kind(objects, "NetworkPolicy")[f"{service}-worker"]["spec"]
    assert policy["podSelector"]["matchLabels"].items() <= worker["metadata"]["labels"].items()
