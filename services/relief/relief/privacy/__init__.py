"""Household data protection: sealed under a per-member key, shredded on erasure. The vault
itself is the toolkit's (`union_events.sealing`); relief names its table, secret and KEK info."""

from .secret import load_kek
from .vault import HouseholdVault, InvalidSeal, household_keys, privacy_metadata

__all__ = ["HouseholdVault", "InvalidSeal", "household_keys", "load_kek", "privacy_metadata"]
