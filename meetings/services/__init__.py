"""Meetings' services, one module per area (scheduling, attendance, input, minutes)."""
