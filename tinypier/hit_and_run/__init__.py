"""Hit-and-run: a member who completes a release owes it some seeding.

Completing a release (a snatch) owes ``hnr_seed_hours`` of seeding it within
``hnr_window_days``, or uploading ``hnr_min_ratio`` times its size on it. The seeding time
is the tracker's own record (``transfers.seeding_seconds``, folded from the credit log,
where a silence counts for at most two announce intervals), never a client's claim.
:func:`~tinypier.hit_and_run.sweep.sweep` records the unmet obligations whose window is
over and clears those seeded off since; the block at ``hnr_max`` active ones is the
permission policy's (``tinypier.permissions.hit_and_run``). Its table is migration 0024.
"""
