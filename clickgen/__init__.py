"""clickgen: the compiler for an event reference (tracking plan)."""

__version__ = "0.1.0"
