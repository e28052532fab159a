"""No personal data leaks: after the headline scenario and a hardship file, the plaintext
names, ID numbers and phone numbers used appear in no database, no JetStream message and no
log line. Where the owning service keeps them, they are sealed; this scan holds no keys.

Scanned: every table of every service database (each value as text, bytes or JSON, in both
UTF-8 and `\\uXXXX` escapes) and, on SQLite, the raw bytes of the database and WAL files;
every message (headers and body) of every stream on the NATS server; every log record
(at DEBUG) and everything written to stdout/stderr, and the NATS server's log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import nats
import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from sqlalchemy import MetaData, select
from union_events.db import create_engine
from union_events.embedded import (
    NatsServer,
    create_database,
    drop_database,
    unique_database_name,
)
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.jetstream import stream_messages
from union_events.testing.people import national_id
from union_events.testing.plans import CITY_POOLING_FROM_MAY, TWO_TIERS, claim, plan_rules
from union_events.testing.seeding import city_orgs, enrol, plan_year_set, seeded_city
from union_events.testing.waiting import eventually

PEOPLE = [  # (name, ID number, phone): members
    ("欧阳秀英", national_id(417, date(1979, 7, 13), "330903"), "13957146283"),
    ("司马振华", national_id(538, date(1985, 11, 29), "330921"), "18857431290"),
]
HOUSEHOLD = ["诸葛晓梅", "上官明轩"]  # a hardship file's household, besides the member
SECRETS = [value for person in PEOPLE for value in person] + HOUSEHOLD
SERVICES = ("members", "claims", "relief", "outreach")
RULES = plan_rules(
    pooling=CITY_POOLING_FROM_MAY, tiers=TWO_TIERS, annual_cap="50000.00", deadline_days=90
)


def encodings(value: str) -> set[bytes]:
    """The forms a string takes on disk or on the wire: UTF-8, and JSON's `\\uXXXX` escapes."""
    escaped = json.dumps(value)[1:-1]
    upper = "".join(
        f"\\u{ord(ch):04X}" if ord(ch) > 127 else ch for ch in value
    )  # some encoders write upper-case hex
    return {value.encode(), escaped.encode(), upper.encode()}


NEEDLES = {form: value for value in SECRETS for form in encodings(value)}


@dataclass
class Findings:
    found: list[str] = field(default_factory=list)
    scanned: dict[str, int] = field(default_factory=dict)

    def scan(self, where: str, data: bytes | str) -> None:
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        kind = where.split(":", 1)[0]
        self.scanned[kind] = self.scanned.get(kind, 0) + 1
        for needle, value in NEEDLES.items():
            if needle in raw:
                self.found.append(f"{value!r} in {where}")


def as_bytes(value: Any) -> Iterator[bytes]:
    if value is None:
        return
    if isinstance(value, bytes | bytearray | memoryview):
        yield bytes(value)
    elif isinstance(value, str):
        yield value.encode()
    elif isinstance(value, dict | list | tuple):
        text = json.dumps(value, default=str, ensure_ascii=False)
        yield text.encode()
    else:
        yield str(value).encode()


async def scan_database(findings: Findings, service: str, url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            meta = MetaData()
            await conn.run_sync(meta.reflect)
            assert meta.tables, f"{service}: no tables in {url}"
            for table in meta.sorted_tables:
                rows = (await conn.execute(select(table))).all()
                for row in rows:
                    for column, value in zip(table.columns, row, strict=True):
                        for data in as_bytes(value):
                            findings.scan(f"db:{service}.{table.name}.{column.name}", data)
    finally:
        await engine.dispose()


def scan_sqlite_files(findings: Findings, service: str, data_dir: Path) -> None:
    files = [p for p in data_dir.rglob("*") if p.is_file() and ".db" in p.name]
    for path in files:
        findings.scan(f"file:{service}/{path.name}", path.read_bytes())


async def scan_streams(findings: Findings, nats_url: str) -> list[str]:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        names = [info.config.name for info in await js.streams_info()]
        for name in names:
            for headers, body in await stream_messages(js, name):
                findings.scan(f"stream:{name}", json.dumps(headers, ensure_ascii=False) + "\n")
                findings.scan(f"stream:{name}", body)
        return sorted(str(n) for n in names)
    finally:
        await nc.close()


def scan_logs(findings: Findings, records: Iterable[logging.LogRecord], captured: str) -> None:
    formatter = logging.Formatter()
    for record in records:
        text = record.getMessage()
        if record.exc_info:
            text += formatter.formatException(record.exc_info)
        findings.scan(f"log:{record.name}", text)
    findings.scan("log:stdout+stderr", captured)


@asynccontextmanager
async def platform(
    nats_url: str, tmp_path: Path, urls: dict[str, str], clock: dict[str, date]
) -> AsyncIterator[dict[str, Any]]:
    extras = {"today": lambda: clock["today"]}

    def settings(name: str) -> ServiceSettings:
        return ServiceSettings(
            nats_url=nats_url,
            union_data_dir=tmp_path / name,
            database_url=urls.get(name, ""),
            log_level="DEBUG",
        )

    async with (
        service_client(members_definition(), settings("members"), extras) as members,
        service_client(claims_definition(), settings("claims"), extras) as claims,
        service_client(relief_definition(), settings("relief"), extras) as relief,
        service_client(outreach_definition(), settings("outreach"), extras) as outreach,
    ):
        yield {"members": members, "claims": claims, "relief": relief, "outreach": outreach}


async def run_headline_and_a_hardship_file(api: dict[str, Any], clock: dict[str, date]) -> None:
    members, claims, relief = api["members"], api["claims"], api["relief"]
    await seeded_city(members, claims, city_orgs("dinghai", "putuo", "shengsi"))
    await plan_year_set(claims, members, RULES)
    member_ids = []
    for name, number, phone in PEOPLE:
        body = {"national_id": number, "name": name, "phone": phone}
        created = await members.post("/members", json=body | {"unit": "zhoushan/dinghai/u1"})
        assert created.status_code == 201, created.text
        member_ids.append(created.json()["member_id"])
        await enrol(members, member_ids[-1])
    filed = await claims.post(  # filed in district B for a member of district A
        "/claims", json=claim(member_ids[0], "zhoushan/putuo/center", "INV-PII", "6230.00")
    )
    assert filed.status_code == 202, filed.text
    claim_id = filed.json()["claim_id"]

    async def approved() -> bool:
        return (await claims.get(f"/claims/{claim_id}")).json()["status"] == "approved"

    await eventually(approved, timeout=20)
    clock["today"] = date(2026, 5, 2)
    paid = await claims.post(  # paid in district C under city pooling
        f"/claims/{claim_id}/payment", json={"service_point": "zhoushan/shengsi/center"}
    )
    assert paid.status_code == 200, paid.text

    standard = {"district": "zhoushan/dinghai", "amount": "770.00", "effective_from": "2026-01-01"}
    assert (await relief.post("/standards", json=standard)).status_code == 201
    household = [{"name": PEOPLE[1][0], "relation": "self"}]
    household += [{"name": name, "relation": "spouse"} for name in HOUSEHOLD]
    hardship_file = {
        "member_id": member_ids[1],
        "district": "zhoushan/dinghai",
        "category": "relative",
        "household": household,
        "monthly_income": "1500.00",
        "notes": "因病致困",
    }

    async def opened_once_relief_knows_the_member() -> Any:
        response = await relief.post("/files", json=hardship_file)
        if response.status_code == 422 and response.json()["error"]["code"] == "unknown_member":
            return None  # relief has not heard members' `member.registered` yet
        return response

    opened = await eventually(opened_once_relief_knows_the_member, timeout=20)
    assert opened.status_code == 201, opened.text
    shown = (await relief.get(f"/files/{opened.json()['file_id']}")).json()
    assert [p["name"] for p in shown["household"]["members"]] == [PEOPLE[1][0], *HOUSEHOLD]


async def everything_relayed_and_consumed(api: dict[str, Any]) -> None:
    async def settled() -> bool:
        for client in api.values():
            ready = (await client.get("/readyz")).json()["checks"]
            lags = ready.get("consumer_lag", {}).values()
            if ready["relay_lag"] != "0" or any(lag != 0 for lag in lags):
                return False
        return True

    await eventually(settled, timeout=30, message="every relay and consumer caught up")


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    with NatsServer(store_dir=tmp_path / "nats") as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_urls(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Each service's own database: SQLite files, or PostgreSQL for members and claims."""
    if request.param == "sqlite":
        yield {}
        return
    admin = str(request.getfixturevalue("postgres_admin_url"))
    names = {service: unique_database_name(f"pii_{service}") for service in ("members", "claims")}
    urls = {service: create_database(admin, name) for service, name in names.items()}
    try:
        yield urls
    finally:
        for name in names.values():
            drop_database(admin, name)


async def test_no_plaintext_personal_data_in_databases_streams_or_logs(
    nats_server: NatsServer,
    tmp_path: Path,
    database_urls: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    for variable in ("MEMBERS_SECRET", "RELIEF_SECRET", "RELIEF_WEBHOOK_URL"):
        monkeypatch.setenv(variable, "")  # keys in each data dir, notifications logged
    caplog.set_level(logging.DEBUG)
    clock = {"today": date(2026, 4, 28)}
    async with platform(nats_server.url, tmp_path, database_urls, clock) as api:
        await run_headline_and_a_hardship_file(api, clock)
        await everything_relayed_and_consumed(api)
        runtimes = {name: client._transport.app.state.runtime for name, client in api.items()}
        urls = {name: rt.store.engine.url.render_as_string(False) for name, rt in runtimes.items()}
        findings = Findings()
        for service in SERVICES:  # while running: the WAL files still hold recent writes
            scan_sqlite_files(findings, service, tmp_path / service)

    for service in SERVICES:
        await scan_database(findings, service, urls[service])
        if service not in database_urls:
            scan_sqlite_files(findings, service, tmp_path / service)
    streams = await scan_streams(findings, nats_server.url)
    out, err = capfd.readouterr()
    scan_logs(findings, caplog.records, out + err + nats_server.log_path.read_text())

    assert {"MEMBERS", "CLAIMS", "RELIEF", "DLQ_MEMBERS"} <= set(streams)
    assert findings.scanned["stream"] > 10 and findings.scanned["log"] > 50
    assert findings.scanned["db"] > 100
    assert findings.scanned["file"] >= 8 - 2 * len(database_urls)  # each db and its WAL
    assert findings.found == []


def test_the_scan_finds_each_form_a_value_takes() -> None:
    name, national_id, _ = PEOPLE[0]
    findings = Findings()
    findings.scan("log:utf8", f"registered {name}")
    findings.scan("stream:escaped", json.dumps({"name": HOUSEHOLD[0]}).encode())
    findings.scan("db:upper", b'{"n": "\\u6B27\\u9633\\u79C0\\u82F1"}')
    findings.scan("file:id", b"\x00\x01" + national_id.encode() + b"\xff")
    findings.scan("log:clean", "nothing to see")
    assert [f.rsplit(" in ", 1)[1] for f in findings.found] == [
        "log:utf8",
        "stream:escaped",
        "db:upper",
        "file:id",
    ]
