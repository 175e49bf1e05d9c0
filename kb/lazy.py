"""Packages whose names load with their first use: ``kb.graph`` and ``kb.export`` pull
in networkx, numpy, pyvis and jinja2, which a query command never needs, so importing
the package (as the command line does to register its commands) loads none of them.

>>> get = lazy_exports("email", {"Parser": "parser"})  # email.Parser from email.parser
>>> get("Parser").__module__
'email.parser'
>>> get("nothing")
Traceback (most recent call last):
AttributeError: module 'email' has no attribute 'nothing'
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name in ``homes`` is read from the
    submodule ``homes[name]`` on first use, then kept in the package."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
