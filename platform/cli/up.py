"""``sampark up``: everything on one machine. Embedded services, migrations, optional demo, then web + worker +
scheduler under one supervisor that stops them all on one Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from typing import Any

from sampark.platform.cli.common import EXIT_FAILED, CommandError, load_settings, port_number
from sampark.platform.cli.migrate import run_migrations
from sampark.platform.config.settings import Settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.embedded.services import EmbeddedServiceError, EmbeddedServices
from sampark.platform.embedded.supervisor import (
    TENANT_DEMO_MODULE,
    ChildSpec,
    StopSignals,
    Supervisor,
    port_open,
    run_supervised,
    scheduler_command,
    web_command,
    worker_command,
)
from sampark.platform.i18n import gettext as _

# Exit code when start-up is interrupted (the shell convention for SIGINT).
EXIT_INTERRUPTED = 130
READY_TIMEOUT_S = 60.0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "up", help=_("Run Sampark on this machine: embedded services, web, worker and scheduler.")
    )
    parser.add_argument("--demo", action="store_true", help=_("Create the demo tenant with sample contacts."))
    parser.add_argument("--port", type=port_number, default=None, help=_("HTTP port (SAMPARK_PORT, 8000)."))
    parser.add_argument("--host", default=None, help=_("HTTP interface (SAMPARK_HOST, 127.0.0.1)."))
    parser.add_argument("--data-dir", default=None, help=_("Where embedded data lives (SAMPARK_DATA_DIR)."))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir, port=args.port, host=args.host)
    if port_open(settings.host, settings.port):
        # Otherwise the banner would point at whatever already listens there while the web process dies.
        raise CommandError(
            _(
                "port %(port)s on %(host)s is already in use; pick another with --port",
                port=settings.port,
                host=settings.host,
            )
        )
    services = EmbeddedServices(settings)
    with StopSignals() as signals:
        try:
            # Until the children run, a signal aborts start-up by raising KeyboardInterrupt (caught below).
            signals.raising = True
            _say(_("data directory: %(path)s", path=settings.data_dir))
            settings = services.start()
            demo = asyncio.run(_prepare(settings, demo=args.demo))
            signals.raising = False
            environment = {
                **services.export(settings),
                "SAMPARK_HOST": settings.host,
                "SAMPARK_PORT": str(settings.port),
            }
            return run_supervised(
                children(settings),
                environment,
                signals,
                ready=lambda supervisor: _wait_until_ready(supervisor, settings, signals),
                on_ready=lambda: print(
                    banner(settings, demo, mail_sink=services.mail is not None), flush=True
                ),
            )
        except KeyboardInterrupt:
            _say(_("start-up interrupted"))
            return EXIT_INTERRUPTED
        except EmbeddedServiceError as error:
            raise CommandError(
                _("could not start an embedded service: %(error)s", error=error), EXIT_FAILED
            ) from None
        finally:
            signals.raising = False  # stopping must not be interrupted half-way
            _say(_("stopping embedded services"))
            services.stop()
            _say(_("stopped"))


def children(settings: Settings) -> list[ChildSpec]:
    return [
        ChildSpec("web", web_command(settings.host, settings.port)),
        ChildSpec("worker", worker_command()),
        ChildSpec("scheduler", scheduler_command()),
    ]


async def _prepare(settings: Settings, *, demo: bool) -> Any:
    """Open the engine, migrate the platform and every tenant, seed the demo if asked; return the demo info."""
    await open_engine(settings)
    try:
        report = await run_migrations(settings, out=sys.stderr)
        if report.failed:
            _say(_("some tenants failed to migrate; they stay at their old version (see above)"))
        if not demo:
            return None
        # The platform does not import tenant code: the demo is reached by module name.
        module = importlib.import_module(TENANT_DEMO_MODULE)
        try:
            demo_info = await module.seed_demo(settings.data_dir)
            _say(
                _(
                    "demo tenant %(slug)s ready (%(count)s contacts added)",
                    slug=demo_info.slug,
                    count=demo_info.contacts_added,
                )
            )
            return demo_info
        except Exception as error:  # the app is still useful without the demo; say why and go on
            fields = getattr(error, "errors", None)  # sign-up errors carry a message per form field
            detail = "; ".join(f"{k}: {v}" for k, v in fields.items()) if isinstance(fields, dict) else error
            _say(_("could not create the demo tenant: %(error)s", error=detail))
            return None
    finally:
        await close_engine()


def _wait_until_ready(supervisor: Supervisor, settings: Settings, signals: StopSignals) -> bool:
    ready = supervisor.wait_for_port(settings.host, settings.port, signals, timeout=READY_TIMEOUT_S)
    if not ready and not signals.event.is_set() and supervisor.dead_child() is None:
        _say(_("the web process is not answering yet on port %(port)s; still waiting", port=settings.port))
    return ready


def banner(settings: Settings, demo: Any, *, mail_sink: bool) -> str:
    """What an operator needs after start-up: where to go and how to log in. Printed, never logged."""
    url = settings.public_url.rstrip("/")
    lines = ["", _("Sampark is running."), _("  App:        %(url)s/", url=url)]
    if mail_sink:
        lines.append(_("  Mail sink:  %(url)s/ops/mail", url=url))
    if demo is not None:
        lines.append(_("  Demo:       %(url)s/t/%(slug)s/", url=url, slug=demo.slug))
        lines.append(_("  Log in:     %(url)s/login as %(email)s", url=url, email=demo.admin_email))
        if demo.password is not None:
            lines.append(
                _(
                    "  Password:   %(password)s  (kept in %(file)s)",
                    password=demo.password,
                    file=demo.password_file,
                )
            )
        else:
            lines.append(_("  Password:   unknown (%(file)s is missing)", file=demo.password_file))
    lines += [_("Press Ctrl-C to stop."), ""]
    return "\n".join(lines)


def _say(message: str) -> None:
    print(f"sampark: {message}", file=sys.stderr, flush=True)
