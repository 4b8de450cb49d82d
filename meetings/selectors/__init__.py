"""Meetings' selectors, one module per area (scheduling, attendance, input, minutes)."""
