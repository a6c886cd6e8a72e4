"""``/admin/jobs``: each periodic job's last run, duration, outcome and next run, and a
button that runs one now (a POST with the form's CSRF token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from tinypier.accounts.forms import Form
from tinypier.accounts.guards import require_admin
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.jobs.base import OK, job_states
from tinypier.jobs.counters import COUNTERS_JOB
from tinypier.jobs.expiry import EXPIRY_JOB
from tinypier.jobs.scheduler import Scheduler
from tinypier.web.extensions import Feature
from tinypier.web.pages import redirect, render, route


@dataclass
class RunForm:
    name: str = ""


def _scheduler(request: Request[Any, Any, Any]) -> Scheduler:
    scheduler: Scheduler = request.app.state.jobs
    return scheduler


@get("/admin/jobs", name="jobs:admin", guards=[require_admin])
async def jobs_page(request: Request[Any, Any, Any], db: NamedDependency[Database]) -> Template:
    scheduler = _scheduler(request)
    states = await job_states(db)
    return render(
        request,
        "jobs/admin_jobs.html",
        jobs=[
            (job, states.get(name), scheduler.next_run(name))
            for name, job in scheduler.jobs.items()
        ],
        ok=OK,
    )


@post("/admin/jobs/run", name="jobs:run", guards=[require_admin])
async def run_job(request: Request[Any, Any, Any], data: Form[RunForm]) -> Redirect:
    """Run a job at once and come back to the page with its outcome."""
    scheduler = _scheduler(request)
    back = route(request, "jobs:admin")
    job = scheduler.jobs.get(data.name)
    if job is None:
        return redirect(back, _("There is no such job."), "error")
    outcome, _result = await scheduler.run(job.name)
    if outcome == OK:
        return redirect(back, _("%(job)s ran.", job=_(job.label)), "success")
    return redirect(back, _("%(job)s failed; the server log says why.", job=_(job.label)), "error")


FEATURE = Feature("jobs", (jobs_page, run_job), jobs=(EXPIRY_JOB, COUNTERS_JOB))
