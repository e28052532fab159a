"""The composition root of the relief service: the only place that wires its parts."""

from union_events.service import ServiceDefinition

NAME = "relief"


def definition() -> ServiceDefinition:
    return ServiceDefinition(name=NAME, title="Relief: hardship files, cards, grants")
