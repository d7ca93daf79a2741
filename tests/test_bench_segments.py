"""The segment benchmark runs at small scale: the recompute agrees with the
bare query on every account, and a batch takes the same queries whatever its
size."""

from odoo.tests import TransactionCase, tagged

from .benchmarks import segments


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchSegments(TransactionCase):
    def test_run_small(self):
        results = {}

        def report(name, value, unit):
            results[name] = value

        segments.run(self.env, report, companies=60)
        self.assertEqual(results["segments_recompute_mismatches"], 0)
        self.assertEqual(
            results["segments_recompute_queries_batch_10000"],
            results["segments_recompute_queries_batch_100000"],
        )
        self.assertIn("segments_recompute_ratio_to_floor", results)
        in_segments = sum(
            value
            for name, value in results.items()
            if name.startswith("segments_accounts_")
            and name != "segments_accounts_none"
        )
        self.assertGreaterEqual(in_segments, 60)
