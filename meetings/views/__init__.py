"""Meetings' views, one module per area (scheduling, attendance, input, minutes)."""
