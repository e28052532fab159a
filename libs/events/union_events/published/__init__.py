"""The public event payloads each service publishes: the contracts other services read.

One module per publishing service. A breaking change is a new version with an upcaster.
"""
