"""Helpers of the agreement tests: judge processes, the expected verdicts, edge values
and the per-suite report. See README.md in this folder."""
