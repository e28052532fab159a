"""`GET /asyncapi.json` and a readable page at `/asyncapi`, on every service, without a token
(like `/openapi.json` and `/docs`). The page is rendered here from the document: plain HTML
with its style inline, no script and nothing fetched from elsewhere."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from .asyncapi import document
from .service import ServiceDefinition

MEDIA_TYPE = "application/json"


def asyncapi_router(definition: ServiceDefinition) -> APIRouter:
    router = APIRouter(tags=["docs"])
    built: dict[str, dict[str, Any]] = {}

    def current(request: Request) -> dict[str, Any]:
        runtime = getattr(request.app.state, "runtime", None)
        nats_url = runtime.settings.nats_url if runtime is not None else None
        if "doc" not in built:
            built["doc"] = document(definition, nats_url)
        return built["doc"]

    @router.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_json(request: Request) -> JSONResponse:
        """The service's AsyncAPI 3.0 document: what it publishes and consumes on NATS."""
        return JSONResponse(current(request), media_type=MEDIA_TYPE)

    @router.get("/asyncapi", include_in_schema=False)
    async def asyncapi_page(request: Request) -> HTMLResponse:
        """The AsyncAPI document as a page to read."""
        return HTMLResponse(render(current(request)))

    return router


_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ccc}h3{margin-top:2rem}
code{background:#f2f2f2;padding:0 .25em;border-radius:3px}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}.send{color:#075}.receive{color:#05a}nav a{margin-right:.75rem}
"""


def escape(text: str) -> str:
    """HTML-escaped, with `code` spans of the descriptions as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(text)))


def _ref(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _type(doc: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _ref(doc, schema)
    if "anyOf" in schema:
        return " or ".join(_type(doc, s) for s in schema["anyOf"])
    if "const" in schema:
        return f"= {schema['const']}"
    text = str(schema.get("type", "any"))
    if text == "array":
        text = f"array of {_type(doc, schema.get('items', {}))}"
    for key in ("format", "pattern", "maxLength"):
        if key in schema:
            text += f", {key} {schema[key]}"
    if "enum" in schema:
        text += ": " + " | ".join(map(str, schema["enum"]))
    return text


def _fields(doc: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _ref(doc, schema)
    required = set(schema.get("required", ()))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        described = _ref(doc, prop).get("description", "")
        rows.append(
            f"<tr><td><code>{escape(name)}</code></td><td>{escape(_type(doc, prop))}</td>"
            f"<td>{'yes' if name in required else ''}</td><td>{escape(described)}</td></tr>"
        )
    head = "<tr><th>field</th><th>type</th><th>required</th><th>meaning</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>" if rows else "<p>any body</p>"


def render(doc: dict[str, Any]) -> str:
    info = doc["info"]
    parts = [
        f"<h1>{escape(info['title'])} <small>{escape(info['version'])}</small></h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        '<p>AsyncAPI 3.0 document: <a href="asyncapi.json"><code>/asyncapi.json</code></a></p>',
        "<nav><a href='#operations'>operations</a><a href='#messages'>messages</a></nav>",
    ]
    for name, server in doc.get("servers", {}).items():
        where = escape(f"{server['protocol']}://{server['host']}")
        described = escape(server.get("description", ""))
        parts.append(f"<p>server <code>{escape(name)}</code>: <code>{where}</code>. {described}")
    parts.append("<h2 id='operations'>Operations</h2><table>")
    parts.append("<tr><th>action</th><th>subject</th><th>operation</th><th>messages</th></tr>")
    for op in doc["operations"].values():
        channel = _ref(doc, op["channel"])
        messages = ", ".join(
            f"<a href='#{escape(_ref(doc, m)['name'])}'>{escape(_ref(doc, m)['name'])}</a>"
            for m in op["messages"]
        )
        text = op.get("description") or op.get("summary", "")
        parts.append(
            f"<tr><td class='{op['action']}'>{op['action']}</td>"
            f"<td><code>{escape(channel['address'])}</code></td>"
            f"<td><b>{escape(op.get('title', ''))}</b><br>{escape(text)}</td>"
            f"<td>{messages}</td></tr>"
        )
    parts.append("</table><h2 id='messages'>Messages</h2>")
    for message in doc["components"]["messages"].values():
        payload = _ref(doc, message["payload"])
        parts.append(f"<h3 id='{escape(message['name'])}'>{escape(message['name'])}</h3>")
        parts.append(f"<p>{escape(message.get('description') or message.get('summary', ''))}")
        parts.append(f" Content type <code>{escape(message.get('contentType', 'any'))}</code>.</p>")
        parts.append("<h4>NATS headers</h4>" + _fields(doc, message["headers"]))
        parts.append("<h4>Body</h4>" + _fields(doc, payload))
        data = payload.get("properties", {}).get("data")
        if data is not None:
            parts.append("<h4><code>data</code></h4>" + _fields(doc, data))
    body = "\n".join(parts)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(info['title'])}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
