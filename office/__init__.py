"""Helpers shared by the Word documents of several apps (minutes, decisions, letters).

Plain functions over python-docx; no models, so any app may import it.
"""
