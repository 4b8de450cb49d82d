"""Reads for pay, always scoped to the person asking. Outside scope is a 404.

Who reaches which pay pages:
- finance: rates, pay settings, approvals, batches, answering flagged hours;
- program staff and admins: approving or declining claims for other paid work;
- survivor leaders: their own pay, choices, claims and flags;
- survivor co-chairs also: decisions on claims, without names.
Staff never see legal names or payment details; finance see them only through pages that
write an access record into the survivor's log.
"""
