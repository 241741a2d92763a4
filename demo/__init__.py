"""The demo province, put together on top of every app (manage.py seed_demo).

Each app keeps its own `demo.py` (what its part of the demo is); this app only orders them,
so no app below has to import the ones above it.
"""
