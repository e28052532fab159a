"""Page outcomes that are not the page: sign in first, not allowed (with the reason)."""

from __future__ import annotations


class SignInRequired(Exception):
    """No usable session: to the sign-in page (`reason`: idle, change_password, or none)."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


class PageForbidden(Exception):
    """The signed-in person may not open this page; `reason` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
