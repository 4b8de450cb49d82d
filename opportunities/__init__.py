"""Paid leadership opportunities: posting, private interest, offers, bookings and the pay
that work done earns (through compensation)."""
