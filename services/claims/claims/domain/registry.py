"""The places a claim names, and how one invoice is told from another.

- Service points come from members' org registry (`org.registered`, heard over NATS): a claim is
  filed and paid only at a registered org of level `service_point`, never at a unit or a path
  nobody registered.
- Hospitals come from the city's registry (a city admin keeps it: code, name, city, district);
  an invoice names its hospital by code.
- An invoice is claimed once city-wide under (hospital code, invoice number normalised): the
  number in Unicode NFKC (full-width letters and digits become plain ones), without spaces,
  dashes or other separators, in upper case. "ｆｐ-2026 0001" and "FP20260001" are one invoice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

from union_events.errors import Conflict, DomainError

from .events import Invoice

SERVICE_POINT = "service_point"
_LEVELS = {"city": "a city", "district": "a district", "unit": "a unit"}
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")
CODE_RULE = "1 to 32 letters, digits and '-', starting with a letter or a digit (e.g. 'ZS-001')"


@dataclass(frozen=True)
class Org:
    """An org as members registered it."""

    path: str
    name: str
    level: str  # city | district | unit | service_point


@dataclass(frozen=True)
class Hospital:
    """医院: one entry of a city's hospital registry."""

    code: str
    name: str
    city: str
    district: str | None = None


def require_service_point(path: str, org: Org | None) -> str:
    """The path, if members registered it as a service point; else a 422 naming it."""
    if org is None:
        raise DomainError(
            f"{path} is not a registered service point: members' org registry has no org "
            "of that path (register it there first)",
            code="unknown_service_point",
            service_point=path,
        )
    if org.level != SERVICE_POINT:
        what = _LEVELS.get(org.level, f"of level {org.level}")
        raise DomainError(
            f"{path} ({org.name}) is {what}, not a service point: claims are filed and paid "
            "at service points",
            code="not_a_service_point",
            service_point=path,
            level=org.level,
        )
    return org.path


def hospital_code(text: str) -> str:
    """A hospital code as the registry keeps it: NFKC, trimmed, upper case."""
    code = code_key(text)
    if not _CODE.fullmatch(code):
        raise DomainError(
            f"{text!r} is not a hospital code: {CODE_RULE}", code="invalid_hospital_code"
        )
    return code


def code_key(text: str) -> str:
    """A code compared as the registry compares it (NFKC, trimmed, upper case), unchecked."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def invoice_number_key(number: str) -> str:
    """The invoice number as the city-wide check compares it: NFKC, letters and digits only,
    upper case."""
    key = "".join(ch for ch in unicodedata.normalize("NFKC", number) if ch.isalnum()).upper()
    if not key:
        raise DomainError(
            f"invoice number {number!r} has no letters or digits", code="invalid_invoice"
        )
    return key


def decide_hospital(
    current: Hospital | None, *, code: str, name: str, city: str, district: str | None
) -> list[Hospital]:
    """Register a hospital or change its name or district: the new entry, or nothing when it
    says what the registry holds already. A code stays in its city."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("a hospital has a name", code="hospital_name_required")
    if district is not None and not district.startswith(city + "/"):
        raise DomainError(
            f"the district {district} is not in the city {city}", code="district_outside_city"
        )
    if current is not None and current.city != city:
        raise Conflict(
            f"hospital {current.code} ({current.name}) is registered in {current.city}, not {city}",
            code="hospital_of_another_city",
            hospital=current.code,
        )
    entry = Hospital(hospital_code(code), name, city, district)
    return [] if entry == current else [entry]


def require_hospitals(
    invoices: tuple[Invoice, ...], known: Mapping[str, Hospital]
) -> tuple[Invoice, ...]:
    """The invoices with their hospitals named by registered code; a 422 naming the first
    code the registry does not hold."""
    checked = []
    for invoice in invoices:
        code = hospital_code(invoice.hospital)
        if code not in known:
            raise DomainError(
                f"invoice {invoice.number.strip()}: no hospital of code {code} is registered "
                "(GET /hospitals lists the city's hospitals)",
                code="unknown_hospital",
                hospital=code,
            )
        checked.append(replace(invoice, hospital=code))
    return tuple(checked)


def duplicate_invoice(invoice: Invoice, hospital: Hospital | None, held_by: str | None) -> Conflict:
    """The 409 for an invoice claimed before: which invoice, and the claim that holds it."""
    where = f"{hospital.name} ({invoice.hospital})" if hospital else invoice.hospital
    holder = f"claim {held_by}" if held_by else "another claim"
    return Conflict(
        f"invoice {invoice.number} of {where} is claimed already, by {holder} "
        "(invoice numbers are compared without spaces, dashes or case)",
        code="duplicate_invoice",
        hospital=invoice.hospital,
        number=invoice.number,
        held_by=held_by,
    )
