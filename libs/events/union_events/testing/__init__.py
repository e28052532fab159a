"""Test support: the pytest plugin (`-p union_events.testing.plugin`) with real NATS and SQL."""
