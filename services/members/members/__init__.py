"""The members service: Members: identity, org registry, enrolment."""
