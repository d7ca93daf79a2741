"""Which public methods of the addon the attacker tests call.

A public method (any name without a leading ``_``) can be called by anyone
over JSON-RPC with any record ids: each one the addon defines must be tried by
at least one test as the users who may not use it. Those tests say which
methods they attack with ``@covers(model, *methods)``;
``addon_public_methods`` lists the methods that need one, and
``covered_methods`` the methods the test modules attack.
"""

import importlib
import inspect
import pkgutil
from unittest import TestCase

ADDON_PACKAGE = "odoo.addons.customer_relations"
TESTS_PACKAGE = f"{ADDON_PACKAGE}.tests"
COVERS_ATTRIBUTE = "customer_relations_covers"


def covers(model, *methods):
    """Record on the decorated test that it calls ``model``'s ``methods`` as
    the users who may not use them (and as one who may)."""
    if not methods:
        raise ValueError(f"covers({model!r}) names no method")

    def decorate(func):
        entries = getattr(func, COVERS_ATTRIBUTE, ())
        setattr(
            func,
            COVERS_ATTRIBUTE,
            (*entries, *((model, method) for method in methods)),
        )
        return func

    return decorate


def _is_addon_class(cls):
    module = cls.__module__ or ""
    return module == ADDON_PACKAGE or module.startswith(f"{ADDON_PACKAGE}.")


def _functions(cls):
    return {name for name, value in vars(cls).items() if inspect.isfunction(value)}


def addon_public_methods(env):
    """Sorted ``(model, method)`` pairs of the public methods that the addon's
    own classes define and Odoo's do not, on every model that can have records
    (wizards included): an abstract model's methods are listed on the models
    that inherit it. Overrides of Odoo's methods (``write``, ``create``,
    ``default_get``, ``button_draft``…) are not listed."""
    pairs = set()
    for model_name in env.registry:
        model_class = type(env[model_name])
        if model_class._abstract:
            continue
        ours, theirs = set(), set()
        for cls in model_class.__mro__:
            (ours if _is_addon_class(cls) else theirs).update(_functions(cls))
        pairs.update(
            (model_name, method)
            for method in ours - theirs
            if not method.startswith("_")
        )
    return sorted(pairs)


def _test_modules():
    package = importlib.import_module(TESTS_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("test_"):
            yield importlib.import_module(f"{TESTS_PACKAGE}.{info.name}")


def covered_methods():
    """``{(model, method): [test names]}`` of the ``@covers`` entries of the
    test methods of the addon's test modules."""
    covered = {}
    for module in _test_modules():
        for cls in vars(module).values():
            if not (
                isinstance(cls, type)
                and issubclass(cls, TestCase)
                and cls.__module__ == module.__name__
            ):
                continue
            for name in dir(cls):
                if not name.startswith("test"):
                    continue
                for entry in getattr(getattr(cls, name), COVERS_ATTRIBUTE, ()):
                    covered.setdefault(entry, []).append(
                        f"{module.__name__.rsplit('.', 1)[-1]}.{cls.__name__}.{name}"
                    )
    return covered
