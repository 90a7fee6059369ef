"""``/ops/operators``: admins see every operator and change their roles (audited). Creating, disabling and
resetting 2FA stay in the CLI (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.operators import roles
from sampark.platform.operators.accounts import OperatorError, list_operators
from sampark.platform.operators.console import change_operator_role
from sampark.web.ops import session as ops
from sampark.web.ops.console import GUARDED, ops_page
from sampark.web.ops.session import CurrentOperator


class OperatorsController(Controller):
    path = "/ops/operators"
    include_in_schema = False
    dependencies = GUARDED["dependencies"]
    exception_handlers = GUARDED["exception_handlers"]

    @get("/")
    async def index(self, request: Request[Any, Any, Any], operator: CurrentOperator) -> Response[str]:
        roles.require(operator.role, roles.MANAGE_OPERATORS)
        context = {
            "operators": await list_operators(),
            "roles": roles.ROLES,
            "role_labels": roles.ROLE_LABELS,
        }
        return await ops_page(request, operator, "ops/operators.html", context)

    @post("/{operator_id:int}/role")
    async def set_role(
        self, request: Request[Any, Any, Any], operator: CurrentOperator, operator_id: FromPath[int]
    ) -> Response[Any]:
        roles.require(operator.role, roles.MANAGE_OPERATORS)
        role = str((await request.form()).get("role", ""))[:16]
        try:
            changed = await change_operator_role(operator, operator_id, role)
        except OperatorError as error:
            await ops.notice(request, " ".join(error.errors.values()))
            return Redirect(path="/ops/operators", status_code=303)
        if changed is None:
            raise NotFoundException()
        label = roles.ROLE_LABELS[changed.role]
        await ops.notice(request, _("%(email)s is now %(role)s.", email=changed.email, role=label))
        return Redirect(path="/ops/operators", status_code=303)
