"""``/ops/mail``: the embedded mail sink's messages, newest first (embedded mode only).

The sink exists only when `sampark up` runs the embedded SMTP server. On that one-machine setup a browser on
the same machine (a loopback client) reads it without signing in, so the demo tour works; any other client
must be a signed-in operator, since the sink holds invitation and password-reset links.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from sampark.platform.embedded.mailsink import read_message, read_messages
from sampark.web.ops.session import OperatorLoginRequired, handle_login_required, provide_operator
from sampark.web.rendering import render

PAGE_SIZE = 25


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


async def _mail_dir(request: Request[Any, Any, Any]) -> Path:
    directory: Path | None = request.app.state.settings.mail_sink_dir
    if directory is None:  # an external SMTP server: there is nothing local to show
        raise NotFoundException()
    if (request.client.host if request.client else "") not in LOOPBACK:
        await provide_operator(request)  # raises OperatorLoginRequired: off to /ops/login
    return directory


class MailController(Controller):
    path = "/ops/mail"
    include_in_schema = False
    exception_handlers = {OperatorLoginRequired: handle_login_required}

    @get("/")
    async def index(self, request: Request[Any, Any, Any], page: FromQuery[int] = 1) -> Response[str]:
        page = max(page, 1)
        messages, total = read_messages(
            await _mail_dir(request), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        pages = max(1, -(-total // PAGE_SIZE))
        return render(
            request,
            "ops/mail.html",
            {
                "messages": messages,
                "total": total,
                "page": min(page, pages),
                "pages": pages,
            },
            block="message_list",
        )

    @get("/{message_id:str}")
    async def detail(self, request: Request[Any, Any, Any], message_id: FromPath[str]) -> Response[str]:
        message = read_message(await _mail_dir(request), message_id)
        if message is None:
            raise NotFoundException()
        return render(request, "ops/mail_detail.html", {"message": message})
