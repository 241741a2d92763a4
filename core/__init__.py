"""Leaf modules every app may import; `core` imports no app of the project."""
