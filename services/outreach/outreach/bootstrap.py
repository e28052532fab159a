"""The composition root of the outreach service: the only place that wires its parts."""

from union_events.service import ServiceDefinition

NAME = "outreach"


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name=NAME, title="Outreach: service points, roving sessions, intake, campaigns"
    )
