"""The Python target: `target.PythonTarget` generates the langpack, `naming` its identifiers.

Kept empty so that the semantic rules can import `naming` without loading the
generator (and Jinja) during `clickgen validate`.
"""
