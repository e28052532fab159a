"""The relief read models (projections of its own log; rebuildable).

A table whose columns change gets a new name (and its projection a new name), so that it is
built afresh from the log at start-up: `_2` since files, cards and applications read the same
in lists as one by one, and payouts carry the day they count on in the reports."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Numeric, String, Table

views = MetaData()

files_view = Table(
    "relief_files_view_2",
    views,
    Column("file_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("category", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("household_size", Integer, nullable=False),
    Column("monthly_income", Numeric(14, 2), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("review_due", Date, nullable=False, index=True),
    Column("card_id", String(80), nullable=True),
    Column("card_since", Date, nullable=True),
    Column("last_visit", Date, nullable=True),
    Column("household_erased", Boolean, nullable=False, default=False),
    Column("closed_reason", String(500), nullable=True),
)

cards_view = Table(
    "relief_cards_view_2",
    views,
    Column("card_id", String(80), primary_key=True),
    Column("file_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),  # active | withdrawn
    Column("since", Date, nullable=False),
    Column("withdrawn_on", Date, nullable=True),
    Column("last_visit", Date, nullable=True),
)

applications_view = Table(
    "relief_applications_view_2",
    views,
    Column("application_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=True, index=True),
    Column("district", String(200), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("source", String(16), nullable=False),
    Column("intake_id", String(64), nullable=True),
    Column("drafted_on", Date, nullable=False),
    Column("amount_requested", Numeric(14, 2), nullable=True),
    Column("amount_approved", Numeric(14, 2), nullable=True),
    Column("rejection_reason", String(500), nullable=True),
    Column("disbursed_on", Date, nullable=True),
    Column("receipt_on", Date, nullable=True),
)

# Money paid out: grants disbursed and monthly card subsidies, for the reports.
payouts_view = Table(
    "relief_payouts_view_2",
    views,
    Column("ref", String(200), primary_key=True),  # application id, or member + month
    Column("district", String(200), nullable=False, index=True),
    Column("kind", String(32), nullable=False),  # a grant kind, or card_subsidy
    Column("member_id", String(64), nullable=True),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("paid_on", Date, nullable=False),
    # The day it counts on in the reports: a grant's disbursement day; a subsidy counts in its
    # own month (on the month's first day), whenever the run paid it.
    Column("counted_on", Date, nullable=False, index=True),
    Column("year", Integer, nullable=False),
)
