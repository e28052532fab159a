"""Api layer of the outreach service (see ../shared/STYLE.md)."""
