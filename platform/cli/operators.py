"""``sampark operators``: create, list, disable (and enable, set-role, reset-2fa) platform operator accounts.

The password is read from a prompt, or from standard input with ``--password-stdin`` (scripts), never from a
flag: command lines end up in shell histories and process lists. Every change is operator-audited.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable

import asyncpg

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.cli.common import EXIT_OK, CommandError, database, load_settings, operator_actor
from sampark.platform.cli.tenants import format_table
from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import gettext as _
from sampark.platform.operators import roles
from sampark.platform.operators.accounts import (
    OperatorError,
    OperatorRecord,
    create_operator,
    find_operator,
    list_operators,
    reset_totp,
    set_operator_active,
    set_operator_role,
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("operators", help=_("Create, list and disable platform operator accounts."))
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = actions.add_parser("create", help=_("Create an operator; they set up 2FA at first sign-in."))
    create.add_argument("--email", required=True, help=_("The operator's e-mail address (their sign-in)."))
    create.add_argument("--name", required=True, help=_("The operator's name."))
    create.add_argument(
        "--password-stdin", action="store_true", help=_("Read the password from standard input.")
    )
    create.add_argument(
        "--role",
        choices=roles.ROLES,
        default=roles.DEFAULT_ROLE,
        help=_("viewer (read-only), support (+ elevate) or admin (+ suspend, manage operators)."),
    )
    create.set_defaults(handler=_handler(_create))

    set_role = actions.add_parser("set-role", help=_("Give an operator another role."))
    set_role.add_argument("email", metavar="EMAIL")
    set_role.add_argument("role", metavar="ROLE", choices=roles.ROLES, help=", ".join(roles.ROLES))
    set_role.set_defaults(handler=_handler(_set_role))

    listing = actions.add_parser("list", help=_("Show every operator."))
    listing.set_defaults(handler=_handler(_list))

    for action, helptext, function in (
        ("disable", _("Stop an operator signing in; their sessions end at once."), _disable),
        ("enable", _("Undo disable."), _enable),
        (
            "reset-2fa",
            _("Forget an operator's 2FA key and recovery codes; they set up new ones at next sign-in."),
            _reset,
        ),
    ):
        sub = actions.add_parser(action, help=helptext)
        sub.add_argument("email", metavar="EMAIL")
        sub.set_defaults(handler=_handler(function))


def _handler(action: Callable[[argparse.Namespace], Awaitable[str]]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        if getattr(args, "action", "") == "create":
            args.password = _read_password(args.password_stdin)
        settings = load_settings()

        async def with_database() -> str:
            async with database(settings):
                return await action(args)

        try:
            print(asyncio.run(with_database()))
        except OperatorError as error:
            raise CommandError(str(error)) from None
        except asyncpg.UndefinedTableError:
            raise CommandError(_("the platform schema is missing: run `sampark migrate` first")) from None
        return EXIT_OK

    return run


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(_("Password: "))
    if getpass.getpass(_("Password again: ")) != first:
        raise CommandError(_("the passwords do not match"))
    return first


async def _audit(action: str, operator: OperatorRecord, **details: str) -> None:
    await OperatorAudit.insert(
        OperatorAudit(
            actor=operator_actor(),
            action=action,
            details={"operator_id": operator.id, "email": operator.email, **details},
        )
    )


async def _create(args: argparse.Namespace) -> str:
    async with get_engine().transaction():
        operator = await create_operator(args.email, args.name, args.password, args.role)
        await _audit("operator.create", operator, role=operator.role)
    return _("created operator %(email)s (#%(id)s)", email=operator.email, id=operator.id)


async def _list(_args: argparse.Namespace) -> str:
    operators = await list_operators()
    if not operators:
        return _("no operators")
    rows = [
        [
            o.id,
            o.email,
            o.full_name,
            o.role,
            "active" if o.is_active else "disabled",
            "yes" if o.has_totp else "no",
        ]
        for o in operators
    ]
    return format_table(("id", "email", "name", "role", "status", "2fa"), rows)


async def _change(email: str, action: str, change: Callable[[str], Awaitable[OperatorRecord | None]]) -> str:
    async with get_engine().transaction():
        operator = await change(email)
        if operator is None:
            raise CommandError(_("no operator with e-mail %(email)s", email=email))
        await _audit(action, operator)
    return _("%(action)s: %(email)s", action=action, email=operator.email)


async def _disable(args: argparse.Namespace) -> str:
    return await _change(args.email, "operator.disable", lambda email: set_operator_active(email, False))


async def _enable(args: argparse.Namespace) -> str:
    return await _change(args.email, "operator.enable", lambda email: set_operator_active(email, True))


async def _reset(args: argparse.Namespace) -> str:
    return await _change(args.email, "operator.reset_2fa", reset_totp)


async def _set_role(args: argparse.Namespace) -> str:
    async with get_engine().transaction():
        before = await find_operator(args.email)
        operator = await set_operator_role(args.email, args.role)
        if operator is None or before is None:
            raise CommandError(_("no operator with e-mail %(email)s", email=args.email))
        await _audit("operator.set_role", operator, role=operator.role, **{"from": before.role})
    return _("%(email)s is now %(role)s", email=operator.email, role=operator.role)
