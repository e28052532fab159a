"""Household data protection: sealed under a per-member key, shredded on erasure.

Copied in spirit (and in a few lines) from members' privacy package: services never import
each other."""

from .vault import HouseholdVault, InvalidSeal, household_keys, load_kek, privacy_metadata

__all__ = ["HouseholdVault", "InvalidSeal", "household_keys", "load_kek", "privacy_metadata"]
