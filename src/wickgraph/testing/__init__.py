"""Helpers for tests and benchmarks (local SPARQL servers, a browser driver); not part of the wheel."""
