"""The one explicit route registry: platform pages, then everything under ``/t/<slug>``."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ControllerRouterHandler

from sampark.web.account.api_keys_page import AccountApiKeysController
from sampark.web.account.login_2fa import TwoFactorLoginController
from sampark.web.account.password import PasswordResetController
from sampark.web.account.security import AccountSecurityController
from sampark.web.account.service_accounts_page import ServiceAccountsController
from sampark.web.account.sessions_page import AccountSessionsController
from sampark.web.account.sso_access import SSO_EXCEPTION_HANDLERS
from sampark.web.account.tenant_access import TENANT_EXCEPTION_HANDLERS
from sampark.web.account.tenant_security import TenantSecurityController
from sampark.web.account.tenant_sso import TenantSsoController
from sampark.web.admin.api import MemberApiController, RoleApiController, TeamApiController
from sampark.web.admin.invitations import InvitationController
from sampark.web.admin.members import MemberPagesController
from sampark.web.admin.roles import RolePagesController
from sampark.web.admin.teams import TeamPagesController
from sampark.web.audit.pages import AuditPagesController
from sampark.web.auth.controllers import AuthController
from sampark.web.auth.sso import SsoLoginController
from sampark.web.companies.api import CompanyApiController
from sampark.web.companies.editing import CompanyFormsController
from sampark.web.companies.pages import CompanyPagesController
from sampark.web.contacts.api import ContactApiController
from sampark.web.contacts.bulk import ContactBulkApiController, ContactBulkPagesController
from sampark.web.contacts.editing import ContactFormsController
from sampark.web.contacts.export import ContactExportController
from sampark.web.contacts.pages import ContactPagesController
from sampark.web.deps import provide_tenant
from sampark.web.health.controllers import HealthController
from sampark.web.locale.controllers import LocaleController
from sampark.web.ops.controllers import MailController
from sampark.web.search.pages import SearchPagesController
from sampark.web.settings.pages import RegionSettingsController
from sampark.web.tenant.controllers import TenantHomeController

# Every handler under this router must take a ``tenant`` argument: that is what opens the tenant context.
TENANT_HANDLERS: list[ControllerRouterHandler] = [
    TenantHomeController,
    ContactPagesController,
    ContactFormsController,
    ContactApiController,
    ContactExportController,
    ContactBulkPagesController,
    ContactBulkApiController,
    CompanyPagesController,
    CompanyFormsController,
    CompanyApiController,
    SearchPagesController,
    MemberPagesController,
    RolePagesController,
    TeamPagesController,
    MemberApiController,
    RoleApiController,
    TeamApiController,
    TenantSecurityController,
    RegionSettingsController,
    AuditPagesController,
    TenantSsoController,
    ServiceAccountsController,
]

tenant_router = Router(
    path="/t/{slug:str}",
    route_handlers=TENANT_HANDLERS,
    dependencies={"tenant": Provide(provide_tenant)},
    # mandatory 2FA: pages redirect to enrolment; SSO-only workspaces: to their SSO sign-in
    exception_handlers={**TENANT_EXCEPTION_HANDLERS, **SSO_EXCEPTION_HANDLERS},
)

ROUTES: list[ControllerRouterHandler] = [
    HealthController,
    PrometheusController,
    AuthController,
    SsoLoginController,
    TwoFactorLoginController,
    PasswordResetController,
    AccountSecurityController,
    AccountSessionsController,
    AccountApiKeysController,
    MailController,
    InvitationController,
    LocaleController,
    tenant_router,
]
