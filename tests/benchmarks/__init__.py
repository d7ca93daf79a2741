"""Benchmarks of `make bench`: data generators and measurements.

Each measurement prints a line ``BENCH <name> <value> <unit>``.
"""
