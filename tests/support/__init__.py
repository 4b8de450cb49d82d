"""What test modules share: personas, clients, URL helpers, races and the seeded demo.

Import from here, not from another test module.
"""
