"""The award registry: awards on record, identity keys, eligibility rules and overrides.

Imports neither dossiers nor workflow nor decisions (docs/architecture.md, issue 11): its
models name theirs by label, and callers hand in what only those rooms know.
"""
