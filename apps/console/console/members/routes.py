"""The members desk (会员服务): look up, register, the record and its actions, the roster."""

from __future__ import annotations

from fastapi import APIRouter

from . import drives, lookup, record, register, roster

router = APIRouter()
# the fixed paths first: /members/new, /members/roster, /members/drives are not member ids
for part in (lookup, register, roster, drives, record):
    router.include_router(part.router, prefix="/members")
