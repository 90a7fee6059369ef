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
from sampark.web.activities.api import ActivityApiController
from sampark.web.activities.pages import ActivityPagesController
from sampark.web.admin.api import MemberApiController, RoleApiController, TeamApiController
from sampark.web.admin.invitations import InvitationController
from sampark.web.admin.members import MemberPagesController
from sampark.web.admin.roles import RolePagesController
from sampark.web.admin.teams import TeamPagesController
from sampark.web.audit.pages import AuditPagesController
from sampark.web.auth.controllers import AuthController
from sampark.web.auth.sso import SsoLoginController
from sampark.web.companies.api import CompanyApiController
from sampark.web.companies.bulk import CompanyBulkApiController, CompanyBulkPagesController
from sampark.web.companies.editing import CompanyFormsController
from sampark.web.companies.pages import CompanyPagesController
from sampark.web.consent.admin import ConsentAdminController
from sampark.web.consent.api import ConsentApiController
from sampark.web.consent.confirm import ConsentConfirmController
from sampark.web.consent.section import ConsentSectionController
from sampark.web.contacts.api import ContactApiController
from sampark.web.contacts.bulk import ContactBulkApiController, ContactBulkPagesController
from sampark.web.contacts.editing import ContactFormsController
from sampark.web.contacts.pages import ContactPagesController
from sampark.web.currencies.api import ExchangeRateApiController
from sampark.web.currencies.pages import CurrencyPagesController
from sampark.web.customfields.admin import FieldAdminController
from sampark.web.customfields.api import ViewApiController
from sampark.web.customfields.views import SavedViewPagesController
from sampark.web.deals.api import DealApiController, PipelineApiController
from sampark.web.deals.board import DealBoardController
from sampark.web.deals.bulk import DealBulkApiController, DealBulkPagesController
from sampark.web.deals.editing import DealFormsController
from sampark.web.deals.pages import DealPagesController
from sampark.web.deps import provide_tenant
from sampark.web.files.api import FileApiController
from sampark.web.files.filepage import FilePageController
from sampark.web.files.pages import FilePagesController
from sampark.web.health.controllers import HealthController
from sampark.web.leads.api import LeadApiController
from sampark.web.leads.bulk import LeadBulkApiController, LeadBulkPagesController
from sampark.web.leads.convert import LeadConvertController
from sampark.web.leads.editing import LeadFormsController
from sampark.web.leads.pages import LeadPagesController
from sampark.web.locale.controllers import LocaleController
from sampark.web.mailtemplates.pages import MailTemplatePagesController
from sampark.web.merging.api import MergeApiController
from sampark.web.merging.pages import MergePagesController
from sampark.web.ops.account import OperatorAccountController
from sampark.web.ops.console import ConsoleController
from sampark.web.ops.controllers import MailController
from sampark.web.ops.login import OperatorLoginController, OperatorLogoutController
from sampark.web.ops.operators import OperatorsController
from sampark.web.ops.tenant_data import TenantDataController
from sampark.web.pipelines.pages import PipelinePagesController
from sampark.web.records.export import RecordExportController
from sampark.web.search.pages import SearchPagesController
from sampark.web.settings.pages import RegionSettingsController
from sampark.web.tasks.api import TaskApiController
from sampark.web.tasks.calendar import CalendarPagesController, IcsFeedController
from sampark.web.tasks.editing import TaskFormsController
from sampark.web.tasks.notifications import NotificationPagesController
from sampark.web.tasks.pages import TaskPagesController
from sampark.web.tenant.controllers import TenantHomeController
from sampark.web.timeline.api import TimelineApiController
from sampark.web.timeline.pages import TimelinePagesController

# Every handler under this router must take a ``tenant`` argument: that is what opens the tenant context.
TENANT_HANDLERS: list[ControllerRouterHandler] = [
    TenantHomeController,
    ContactPagesController,
    ContactFormsController,
    ContactApiController,
    RecordExportController,
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
    LeadPagesController,
    LeadFormsController,
    LeadConvertController,
    LeadApiController,
    LeadBulkPagesController,
    LeadBulkApiController,
    DealBoardController,
    DealPagesController,
    DealFormsController,
    DealApiController,
    PipelineApiController,
    PipelinePagesController,
    MailTemplatePagesController,
    TimelinePagesController,
    TimelineApiController,
    ActivityPagesController,
    ActivityApiController,
    MergePagesController,
    MergeApiController,
    FilePagesController,
    FilePageController,
    FileApiController,
    TaskFormsController,
    TaskPagesController,
    TaskApiController,
    NotificationPagesController,
    CalendarPagesController,
    FieldAdminController,
    SavedViewPagesController,
    ViewApiController,
    TenantSsoController,
    ServiceAccountsController,
    CurrencyPagesController,
    ExchangeRateApiController,
    CompanyBulkPagesController,
    CompanyBulkApiController,
    DealBulkPagesController,
    DealBulkApiController,
    ConsentSectionController,
    ConsentAdminController,
    ConsentApiController,
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
    ConsentConfirmController,
    LocaleController,
    IcsFeedController,
    tenant_router,
    OperatorLoginController,
    OperatorLogoutController,
    ConsoleController,
    OperatorAccountController,
    OperatorsController,
    TenantDataController,
]
