"""The one explicit route registry: platform pages, then everything under ``/t/<slug>``."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ControllerRouterHandler

from sampark.web.auth.controllers import AuthController
from sampark.web.contacts.api import ContactApiController
from sampark.web.contacts.pages import ContactPagesController
from sampark.web.deps import provide_tenant
from sampark.web.health.controllers import HealthController
from sampark.web.ops.controllers import MailController
from sampark.web.tenant.controllers import TenantHomeController

# Every handler under this router must take a ``tenant`` argument: that is what opens the tenant context.
TENANT_HANDLERS: list[ControllerRouterHandler] = [
    TenantHomeController,
    ContactPagesController,
    ContactApiController,
]

tenant_router = Router(
    path="/t/{slug:str}", route_handlers=TENANT_HANDLERS, dependencies={"tenant": Provide(provide_tenant)}
)

ROUTES: list[ControllerRouterHandler] = [
    HealthController,
    PrometheusController,
    AuthController,
    MailController,
    tenant_router,
]
