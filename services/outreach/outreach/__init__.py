"""The outreach service: Outreach: service points, roving sessions, intake, campaigns."""
