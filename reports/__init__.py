"""Funder reports: the measure registry, the engine that computes them, and the
renderer that turns a stored snapshot into a page."""
