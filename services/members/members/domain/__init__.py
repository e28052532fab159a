"""Domain layer of the members service (see ../shared/STYLE.md)."""
