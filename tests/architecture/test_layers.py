"""The shape STYLE.md asks for, checked on the source: pure domains, services that never import
each other, consumers that only translate. Reads imports with `ast`; runs in a second."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("members", "claims", "relief", "outreach")
# What a domain may use of the toolkit: its framework-free parts.
TOOLKIT_FOR_DOMAINS = (
    "union_events.errors",
    "union_events.money",
    "union_events.event_codec",
    "union_events.orgs",
    "union_events.published",
    "union_events.orgs",  # the one org-path grammar (standard library only)
    "union_events.ids",  # canonical member ids (standard library only)
    "union_events.auth",  # the one authorization policy (standard library only)
)


def modules(service: str, layer: str) -> list[Path]:
    return sorted((ROOT / "services" / service / service / layer).glob("**/*.py"))


def package_of(path: Path, service: str) -> str:
    inner = path.relative_to(ROOT / "services" / service)
    return ".".join(inner.with_suffix("").parts)


def resolved_imports(path: Path, service: str) -> set[str]:
    package = package_of(path, service).rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)])
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


def allowed_in_domain(module: str, service: str) -> bool:
    top = module.split(".")[0]
    return (
        top in sys.stdlib_module_names
        or module == "__future__"
        or module.startswith(f"{service}.domain")
        or module.startswith(TOOLKIT_FOR_DOMAINS)
    )


@pytest.mark.parametrize("service", SERVICES)
def test_a_domain_imports_only_the_standard_library_and_framework_free_toolkit_parts(service):
    offenders = {
        f"{package_of(path, service)} imports {module}"
        for path in modules(service, "domain")
        for module in resolved_imports(path, service)
        if not allowed_in_domain(module, service)
    }
    assert modules(service, "domain"), f"{service} has a domain package"
    assert not offenders, sorted(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_services_never_import_each_other(service):
    others = [s for s in SERVICES if s != service]
    offenders = {
        f"{package_of(path, service)} imports {module}"
        for path in sorted((ROOT / "services" / service / service).glob("**/*.py"))
        for module in resolved_imports(path, service)
        if module.split(".")[0] in others
    }
    assert not offenders, sorted(offenders)


@pytest.mark.parametrize("service", SERVICES)
def test_consumers_and_projections_never_reach_into_the_http_edge(service):
    offenders = {
        f"{package_of(path, service)} imports {module}"
        for layer in ("consumers", "projections", "app", "domain")
        for path in modules(service, layer)
        for module in resolved_imports(path, service)
        if module.startswith((f"{service}.api", "fastapi", "starlette"))
    }
    assert not offenders, sorted(offenders)
