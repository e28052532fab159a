"""The catalogue of error codes, read from the source tree (not a list kept by hand).

A code is found where the services and the toolkit make one: a `code="..."` argument to an
exception class (its HTTP status from that class: `DomainError` 422, `NotFound` 404, `Conflict` 409,
`Forbidden` 403, or a subclass's own `status`), a `code = "..."` class attribute, the toolkit's
`JSONResponse(error_body("...", ...), status)` calls and its status-to-code table. A code
composed with an f-string (`f"already_{status}"`) is listed as `already_{…}`.

`unionctl errors > docs/errors.md` writes the catalogue; a test fails when the file is stale.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BASE_STATUSES = {
    "DomainError": 422,
    "NotFound": 404,
    "Conflict": 409,
    "Forbidden": 403,
    "Unauthenticated": 401,
}


@dataclass
class Code:
    code: str
    statuses: set[int] = field(default_factory=set)
    places: set[str] = field(default_factory=set)  # the toolkit, or the services raising it
    example: str = ""  # one message it is raised with, as written in the code


def sources(root: Path = ROOT) -> Iterator[tuple[str, Path]]:
    """(place, file) for the toolkit and each service's package, tests left out."""
    tops = [("toolkit", root / "libs" / "events" / "union_events")]
    tops += [(p.parent.name, p) for p in sorted((root / "services").glob("*/*")) if p.is_dir()]
    for place, top in tops:
        if top.name == "tests":
            continue
        for path in sorted(top.rglob("*.py")):
            if "tests" not in path.relative_to(root).parts:
                yield place, path


def _strings(node: ast.AST | None) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):  # f"already_{state.status}" -> "already_{}"
        yield "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _text(node: ast.AST | None) -> str:
    """A message as written: an f-string's fields shown as `{…}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "{…}" for v in node.values)
    return ""


def _assigned(stmt: ast.stmt) -> tuple[ast.AST | None, ast.AST | None]:
    """(target, value) of `x = v` or `x: T = v` in a class body."""
    target = getattr(stmt, "target", None) or (getattr(stmt, "targets", None) or [None])[0]
    return target, getattr(stmt, "value", None)


def _name(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _class_statuses(trees: list[ast.AST]) -> dict[str, int]:
    """Each exception class's status: its own `status = N`, else its base's."""
    statuses = dict(BASE_STATUSES)
    classes: dict[str, tuple[list[str], int | None]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                own = None
                for stmt in node.body:
                    target = (
                        getattr(stmt, "target", None)
                        or (getattr(stmt, "targets", None) or [None])[0]
                    )
                    value = getattr(stmt, "value", None)
                    if (
                        isinstance(target, ast.Name)
                        and target.id == "status"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, int)
                    ):
                        own = value.value
                classes[node.name] = ([_name(b) for b in node.bases], own)
    for _ in range(5):  # bases of bases
        for name, (bases, own) in classes.items():
            if own is not None:
                statuses[name] = own
            elif name not in BASE_STATUSES:
                inherited = next((statuses[b] for b in bases if b in statuses), None)
                if inherited is not None:
                    statuses[name] = inherited
    return statuses


def _found(tree: ast.AST, statuses: dict[str, int]) -> Iterator[tuple[str, int | None, str]]:
    """(code, status or None, example message) for each place the tree makes a code."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            for keyword in node.keywords:  # an exception's code, not an event's field
                if keyword.arg == "code" and name in statuses:
                    message = _text(node.args[0]) if node.args else ""
                    for code in _strings(keyword.value):
                        yield code, statuses.get(name), message
            if name == "JSONResponse" and node.args and isinstance(node.args[0], ast.Call):
                inner = node.args[0]
                status = node.args[1] if len(node.args) > 1 else None
                if _name(inner.func) == "error_body" and inner.args:
                    message = _text(inner.args[1]) if len(inner.args) > 1 else ""
                    known = status.value if isinstance(status, ast.Constant) else None
                    for code in _strings(inner.args[0]):
                        yield code, known, message
            if (
                name == "get"
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "code"
                and len(node.args) == 2
            ):
                for code in _strings(node.args[1]):
                    yield code, None, ""
        elif isinstance(node, ast.ClassDef) and node.name in statuses:  # an exception class
            for stmt in node.body:
                target = (
                    getattr(stmt, "target", None) or (getattr(stmt, "targets", None) or [None])[0]
                )
                value = getattr(stmt, "value", None)
                if isinstance(target, ast.Name) and target.id == "code" and value is not None:
                    doc = (ast.get_docstring(node) or "").split("\n", 1)[0]
                    for code in _strings(value):
                        yield code, statuses.get(node.name), doc
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            if any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    status = key.value if isinstance(key, ast.Constant) else None
                    for code in _strings(value):
                        yield code, status, ""


def catalogue(root: Path = ROOT) -> dict[str, Code]:
    """Every code the toolkit and the services can answer with, by code."""
    parsed = [(place, ast.parse(path.read_text(), str(path))) for place, path in sources(root)]
    statuses = _class_statuses([tree for _, tree in parsed])
    codes: dict[str, Code] = {}
    for place, tree in parsed:
        for code, status, example in _found(tree, statuses):
            entry = codes.setdefault(code, Code(code))
            entry.places.add(place)
            if status is not None:
                entry.statuses.add(int(status))
            if example and not entry.example:
                entry.example = example
    return codes


def _family_message(code: str) -> str:
    """A composed code's Chinese message, `{…}` standing for the label of the rest (a
    status, a vocabulary's name), as the console fills it in; empty when it has no family."""
    from console.i18n import FAMILIES

    for prefix, (template, _labels) in FAMILIES.items():
        if code == f"{prefix}{{}}":
            return str(template).format("{…}")
    return ""


def markdown(codes: dict[str, Code]) -> str:
    """docs/errors.md: each code, its HTTP status, where it comes from, what it means."""
    from console.i18n import chinese_message

    lines = [
        "# Error codes",
        "",
        "Every error answer of every service is the error body",
        '`{"error": {"code": "...", "message": "..."}}` with one of the codes below. The',
        "message is English, for developers and logs; the console shows the Chinese one.",
        "Generated from the code by `unionctl errors > docs/errors.md` (a test fails when this",
        "file is stale). `{…}` in a code or message stands for a value filled in when it is",
        "raised (a status, a name, an amount).",
        "",
        "| code | HTTP | from | message (as raised) | 控制台提示 |",
        "|---|---|---|---|---|",
    ]
    for code in sorted(codes):
        entry = codes[code]
        status = ", ".join(str(s) for s in sorted(entry.statuses)) or "any other 4xx"
        places = ", ".join(sorted(entry.places))
        example = entry.example.replace("|", "\\|").replace("\n", " ")
        chinese = chinese_message(code) if "{}" not in code else _family_message(code)
        lines.append(
            f"| `{code.replace('{}', '{…}')}` | {status} | {places} | {example} | {chinese} |"
        )
    return "\n".join(lines) + "\n"
