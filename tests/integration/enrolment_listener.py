"""Another service in another process: projects members' enrolments it hears over NATS.

Usage: enrolment_listener.py NATS_URL DATA_DIR
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table
from union_events.apps import create_stream_app
from union_events.consumer import ConsumerSpec
from union_events.published.members import registry
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings

tables = MetaData()
enrolments = Table(
    "enrolments",
    tables,
    Column("member_id", String(64), primary_key=True),
    Column("plan_id", String(64), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("insuring_district", String(200), nullable=False),
)


async def on_member_event(conn, event) -> None:
    """Keep who is enrolled in which plan year, and by which district."""
    if event.type.startswith("union.members.member.enrolled."):
        enrolled = registry.parse(event.type, event.data)
        await conn.execute(
            enrolments.insert().values(
                member_id=enrolled.member_id,
                plan_id=enrolled.plan_id,
                year=enrolled.year,
                insuring_district=enrolled.insuring_district,
            )
        )


def main(nats_url: str, data_dir: str) -> None:
    definition = ServiceDefinition(
        name="enrolment-listener",
        metadata=tables,
        consumers=[
            ConsumerSpec(
                "enrolment-listener-members", "MEMBERS", "union.members.>", on_member_event
            )
        ],
    )
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=Path(data_dir))
    asyncio.run(create_stream_app(definition, settings).run())


if __name__ == "__main__":
    main(*sys.argv[1:3])
