"""The relief read models (projections of its own log; rebuildable)."""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, MetaData, Numeric, String, Table

views = MetaData()

files_view = Table(
    "relief_files_view",
    views,
    Column("file_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("category", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("review_due", Date, nullable=False, index=True),
    Column("card_id", String(80), nullable=True),
)

cards_view = Table(
    "relief_cards_view",
    views,
    Column("card_id", String(80), primary_key=True),
    Column("file_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("district", String(200), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),  # active | withdrawn
    Column("since", Date, nullable=False),
    Column("withdrawn_on", Date, nullable=True),
    Column("last_visit", Date, nullable=True),
)

applications_view = Table(
    "relief_applications_view",
    views,
    Column("application_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=True, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("source", String(16), nullable=False),
    Column("intake_id", String(64), nullable=True),
    Column("drafted_on", Date, nullable=False),
    Column("amount", Numeric(14, 2), nullable=True),
)

# Money paid out: grants disbursed and monthly card subsidies, for the reports.
payouts_view = Table(
    "relief_payouts_view",
    views,
    Column("ref", String(200), primary_key=True),  # application id, or card + month
    Column("district", String(200), nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # a grant kind, or card_subsidy
    Column("member_id", String(64), nullable=True),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("paid_on", Date, nullable=False, index=True),
    Column("year", Integer, nullable=False),
)
