"""The personal data of a member: what is sealed, and the only form it ever has in clear."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, repr=False)
class PersonalData:
    name: str
    national_id: str
    phone: str
    address: str = ""

    def __repr__(self) -> str:  # keeps personal data out of logs and tracebacks
        return "PersonalData(<redacted>)"

    def to_json(self) -> bytes:
        fields = {
            "name": self.name,
            "national_id": self.national_id,
            "phone": self.phone,
            "address": self.address,
        }
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> PersonalData:
        obj = json.loads(raw)
        return cls(obj["name"], obj["national_id"], obj["phone"], obj.get("address", ""))
