"""Reads for the board's advice and what came of it, scoped to the person asking; outside
scope is a 404.

Who reaches what:
- program staff and admins: log decisions, link input, answer proposals and
  recommendations, loop health;
- survivor leaders of the organization: the board's decision log, what became of their own
  input, proposing links from their own input, recommendations;
- survivor leaders with an active role on the board: recording a recommendation the board
  adopted;
- finance and funders: nothing here (funders get reports).
Authorship is never shown to other survivors, and to staff only as the author allows
(`meetings.selectors.input` decides, with the `attribute_to_staff` consent).
"""
