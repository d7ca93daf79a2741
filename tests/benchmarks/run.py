"""Runs the benchmarks against a database.

    python -m tests.benchmarks.run -c CONF -d DB [names]

Prints one line per result: ``BENCH <name> <value> <unit>``. Nothing is kept:
each benchmark's data is rolled back at its end.
"""

import argparse
import importlib
import inspect
import sys

import odoo
from odoo import SUPERUSER_ID, api

# name -> module in this package with a ``run(env, report)`` function.
BENCHMARKS = {
    "accounts": "accounts",
    "tiers": "tiers",
    "objection": "objection",
    "referrals": "referrals",
    "support": "support",
    "install_history": "install_history",
    "reliability": "reliability",
    "segments": "segments",
    "kpi": "kpi",
    "range": "range",
}
# Benchmarks that one name brings along: ``BENCH=segments`` measures the
# market: the segment recompute and the range coverage.
ALSO = {"segments": ("range",)}


def report(name, value, unit):
    value = f"{value:.3f}" if isinstance(value, float) else str(value)
    print(f"BENCH {name} {value} {unit}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--base-database",
        help="a database with the same Odoo apps but without customer_relations, "
        "for the benchmarks that compare with it",
    )
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], default=[])
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    names = []
    for name in args.names or BENCHMARKS:
        names += [n for n in (name, *ALSO.get(name, ())) if n not in names]
    for name in names:
        module = importlib.import_module(f"{__package__}.{BENCHMARKS[name]}")
        kwargs = {}
        base_cr = None
        if (
            args.base_database
            and "base_env" in inspect.signature(module.run).parameters
        ):
            base_registry = odoo.modules.registry.Registry(args.base_database)
            base_cr = base_registry.cursor()
            kwargs["base_env"] = api.Environment(base_cr, SUPERUSER_ID, {})
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                module.run(env, report, **kwargs)
            finally:
                cr.rollback()
                if base_cr is not None:
                    base_cr.rollback()
                    base_cr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
