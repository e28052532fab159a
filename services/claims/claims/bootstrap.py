"""The composition root of the claims service: the only place that wires its parts."""

from union_events.service import ServiceDefinition

NAME = "claims"


def definition() -> ServiceDefinition:
    return ServiceDefinition(name=NAME, title="Claims: mutual-aid plans, claims, reimbursement")
