"""Seed bonus: points for seeding, exchanged for upload credit or invites, and the ledger
of every change to a member's points, upload credit, download figure or invites."""
