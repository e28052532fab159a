"""Which environment variables each service reads, derived from the code itself.

Sources: the common `union_events.settings.ServiceSettings`, each service's own pydantic
settings class (`<service>.settings`, with its env prefix), the variables
`union_events.telemetry` reads, the OpenTelemetry SDK's standard OTLP exporter variables, and
the staff console's own settings (`console.settings.ConsoleSettings`, prefix CONSOLE_).
Deployment files are checked against this (tests/deploy) and `unionctl config` prints it.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from types import ModuleType

from pydantic_settings import BaseSettings

from unionctl.services import SERVICES


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    meaning: str
    scope: str  # "all" or a service name


def _comments(cls: type) -> dict[str, str]:
    """`field: type = default  # comment` lines of a settings class, by field name."""
    found: dict[str, str] = {}
    for line in inspect.getsource(cls).splitlines():
        match = re.match(r"\s+(\w+): [^=]+=.*?#\s*(.*)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def settings_variables(cls: type[BaseSettings], scope: str) -> list[Variable]:
    prefix = str(cls.model_config.get("env_prefix") or "")
    comments = _comments(cls)
    out = []
    for field, info in cls.model_fields.items():
        name = (prefix + (info.alias or field)).upper()
        default = "" if info.default is None else str(info.default)
        out.append(Variable(name, default, comments.get(field, ""), scope))
    return out


def _service_settings_classes(service: str) -> list[type[BaseSettings]]:
    try:
        module: ModuleType = importlib.import_module(f"{service}.settings")
    except ModuleNotFoundError:
        return []
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, BaseSettings)
        and obj is not BaseSettings
        and obj.__module__ == module.__name__
    ]


def telemetry_variables() -> list[Variable]:
    """What `union_events.telemetry` reads with os.environ, and the SDK's OTLP variables."""
    from opentelemetry.sdk import environment_variables as otel
    from union_events import telemetry

    source = inspect.getsource(telemetry)
    names = re.findall(r"os\.environ\.get\(\s*\"([A-Z0-9_]+)\"", source)
    out = [Variable(n, "none", "none | console | otlp", "all") for n in names]
    standard = sorted(n for n in dir(otel) if n.startswith("OTEL_EXPORTER_OTLP_"))
    out += [Variable(n, "", "OpenTelemetry SDK (standard)", "all") for n in standard]
    return out


def common_variables() -> list[Variable]:
    from union_events.settings import ServiceSettings

    return settings_variables(ServiceSettings, "all")


def service_variables(service: str) -> list[Variable]:
    """Every variable `service` reads (common ones first)."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; one of: {', '.join(SERVICES)}")
    own = [
        v for cls in _service_settings_classes(service) for v in settings_variables(cls, service)
    ]
    return common_variables() + telemetry_variables() + own


def console_variables() -> list[Variable]:
    """What the staff console reads (its CONSOLE_* settings)."""
    from console.settings import ConsoleSettings

    return settings_variables(ConsoleSettings, "console")


def all_variables() -> list[Variable]:
    """Common variables once, then each service's own, then the console's."""
    seen: dict[str, Variable] = {}
    for service in SERVICES:
        for variable in service_variables(service):
            seen.setdefault(variable.name, variable)
    for variable in console_variables():
        seen.setdefault(variable.name, variable)
    return list(seen.values())
