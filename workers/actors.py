"""Every actor module, imported together: what Dramatiq workers load and the scheduler checks names against.

``python -m dramatiq sampark.workers.actors`` imports this module; importing the broker first installs it with
``dramatiq.set_broker``, and each module listed below declares its actors on it. A new actor module is added
to ``ACTOR_MODULES`` (the one list; nothing is discovered implicitly).
"""

from __future__ import annotations

import importlib

import dramatiq

from sampark.workers.broker import get_broker

#: Import paths of the modules that declare actors.
ACTOR_MODULES: tuple[str, ...] = (
    "sampark.workers.system",
    "sampark.workers.mail",
    "sampark.workers.account_mail",
    "sampark.workers.files",
    "sampark.workers.reminders",
    "sampark.workers.consent_mail",
)


def load_actors() -> dramatiq.Broker:
    """Import every actor module (idempotent) and return the broker they are declared on."""
    broker = get_broker()
    for name in ACTOR_MODULES:
        importlib.import_module(name)
    return broker


load_actors()
