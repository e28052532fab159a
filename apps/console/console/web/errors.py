"""Every error a person can meet, as a Chinese page (or a redirect to sign in)."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope
from union_events.body_limit import BodyTooLarge
from union_events.errors import DomainError

from ..clients import ServiceError
from ..i18n import chinese_message
from .pages import PageForbidden, SignInRequired
from .security import CsrfRefused
from .templating import render

log = logging.getLogger(__name__)

_HTTP = {
    400: ("请求有误", "提交的内容无法识别，请返回上一页重新填写。"),
    404: ("页面不存在", "您要打开的页面不存在或已被移走。请从左侧菜单进入。"),
    405: ("操作方式不对", "此页面不支持这种操作，请从菜单重新进入。"),
    413: ("提交的内容过大", "一次提交的内容过多，请分批提交。"),
}


def refuse_body(scope: Scope, _: BodyTooLarge) -> Response:
    """A body over CONSOLE_MAX_BODY_BYTES, refused unread: the Chinese page."""
    return error_page(Request(scope), 413, *_HTTP[413])


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    return render(
        request, "errors/error.html", {"title": title, "message": message}, status_code=status
    )


def redirect(request: Request, url: str) -> Response:
    """A redirect a plain page follows, and htmx too (it would swap the target otherwise)."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if exc.reason == "change_password":
            return redirect(request, "/password")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        query = f"next={quote(target, safe='')}" if request.method == "GET" else ""
        if exc.reason:
            query += ("&" if query else "") + f"reason={exc.reason}"
        return redirect(request, "/login" + (f"?{query}" if query else ""))

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: PageForbidden) -> Response:
        return error_page(request, 403, "无权访问此页面", exc.reason)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return error_page(request, 403, "提交未被接受", chinese_message("csrf_failed"))

    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError) -> Response:
        log.warning("service refused: %s", exc)
        status = exc.status if 400 <= exc.status < 500 else 502
        return error_page(request, status, "未能办理", exc.message)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        status = exc.status if 400 <= exc.status < 500 else 422
        return error_page(request, status, "未能办理", chinese_message(exc.code))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, *_HTTP[400])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        title, message = _HTTP.get(exc.status_code, ("未能办理", chinese_message("http_error")))
        return error_page(request, exc.status_code, title, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_page(request, 500, "系统内部错误", chinese_message("internal_error"))
