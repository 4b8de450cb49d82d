"""Domain events that accounts announces. Apps above subscribe; accounts never imports them.

`role_assignment_changed` is sent after commit with ids only: (user_id, organization_id).
Meetings uses it to keep invitations to upcoming meetings in step with who holds an active
role: someone who pauses or steps down stops receiving the place, the agenda and others'
input for meetings that have not happened yet.

`consent_changed` is sent after commit with ids and a code only: (user_id, organization_id,
scope), when a yes to a data use ends (withdrawn or expired). Advisory uses it to take a
quote out of published reports the moment its author's `quote_anonymously` ends.
"""

from django.dispatch import Signal

role_assignment_changed = Signal()
consent_changed = Signal()
