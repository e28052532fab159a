"""The composition root of the members service: the only place that wires its parts."""

from union_events.service import ServiceDefinition

NAME = "members"


def definition() -> ServiceDefinition:
    return ServiceDefinition(name=NAME, title="Members: identity, org registry, enrolment")
