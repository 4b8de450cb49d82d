"""Domain events that meetings announce. Other apps subscribe; meetings never imports them.

`attendance_changed` is sent after commit with ids only: (attendance_id, version). The
version rises with every real change, so a subscriber that records pay once per
(attendance_id, version) stays correct when an event is delivered twice.
"""

from django.dispatch import Signal

attendance_changed = Signal()

# Sent after commit when the program cancels a meeting: (meeting_id, cancelled_at). Pay for a
# late cancellation is recorded from it, once per meeting and person.
meeting_cancelled = Signal()
