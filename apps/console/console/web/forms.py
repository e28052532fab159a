"""A form's problems: field -> Chinese message, shown in the error summary and by the field."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import chinese_message


@dataclass
class Problems:
    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)  # not about one field

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def code(self, name: str, code: str) -> None:
        self.add(name, chinese_message(code))

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) rows, general ones first (anchor "")."""
        return [("", m) for m in self.general] + [(k, v) for k, v in self.fields.items()]
