"""Benchmark of the union_events event store against eventsourcing and a raw insert."""
