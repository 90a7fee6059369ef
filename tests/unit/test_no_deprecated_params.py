"""Every route declares its parameters in the style Litestar 3 keeps.

Litestar 2.25 warns when it builds a route's kwargs model from inferred (``slug: str``), ``= Parameter(...)`` or
``Parameter(query=...)`` declarations, or from an untyped reserved kwarg such as ``data``; Litestar 3 drops them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from litestar import Litestar
from litestar.exceptions import LitestarDeprecationWarning, LitestarWarning
from litestar.params import ParameterKwarg
from litestar.routes import HTTPRoute, WebSocketRoute

from sampark.platform.config.settings import Settings
from sampark.web.app import create_app


def _built_app(data_dir: Path) -> tuple[Litestar, list[warnings.WarningMessage], int]:
    """Create the app and build every route's kwargs model, recording every warning on the way."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = create_app(Settings.from_env(data_dir=data_dir))
        built = 0
        for route in app.routes:
            if isinstance(route, HTTPRoute):
                handlers = list(route.route_handlers)
            elif isinstance(route, WebSocketRoute):
                handlers = [route.route_handler]
            else:
                continue
            for handler in handlers:
                handler.create_kwargs_model(path_parameters=route.path_parameters)
                built += 1
    return app, caught, built


def _from_litestar(warning: warnings.WarningMessage) -> bool:
    if issubclass(warning.category, (LitestarWarning, LitestarDeprecationWarning)):
        return True
    return issubclass(warning.category, DeprecationWarning) and "Parameter(" in str(warning.message)


def test_building_every_route_warns_about_no_deprecated_declaration(tmp_path: Path) -> None:
    _, caught, built = _built_app(tmp_path)
    assert built > 100, "the walk must reach the app's handlers"
    assert sorted({str(w.message) for w in caught if _from_litestar(w)}) == []


def test_no_handler_uses_the_old_parameter_helper(tmp_path: Path) -> None:
    # Parameter(query=...) warns once, at import, so the warning test above can miss it: read the declarations.
    app, _, _ = _built_app(tmp_path)
    old_style = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for name, field in handler.signature_model._fields.items():
                kwarg = field.kwarg_definition
                if (
                    not field.is_di_field
                    and isinstance(kwarg, ParameterKwarg)
                    and (type(kwarg) is ParameterKwarg or kwarg.query or kwarg.header or kwarg.cookie)
                ):
                    old_style.append(f"{handler}: {name}")
    assert old_style == []
