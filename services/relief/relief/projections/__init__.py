"""Projections layer of the relief service (see ../shared/STYLE.md)."""
