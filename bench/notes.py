"""The prose of BENCHMARKS.md that measurements cannot write: findings and method."""

FINDINGS = """
(to be written)
"""

METHOD = """
(to be written)
"""
