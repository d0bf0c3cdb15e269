"""The PHP target: `target.PhpTarget` generates the langpack, `naming` its identifiers.

Kept empty so that the semantic rules can import `naming` without loading the
generator during `clickgen validate`.
"""
