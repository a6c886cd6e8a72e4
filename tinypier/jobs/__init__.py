"""Periodic jobs run inside the one process: the seed bonus, expiry, the counters check.

A feature registers its jobs on its :class:`~tinypier.web.extensions.Feature`; the app
runs them all with one :class:`~tinypier.jobs.scheduler.Scheduler` and admins see their
last runs, and run one at once, on ``/admin/jobs`` (:mod:`tinypier.jobs.routes`).
"""
