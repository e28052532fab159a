"""Projections layer of the claims service (see ../shared/STYLE.md)."""
