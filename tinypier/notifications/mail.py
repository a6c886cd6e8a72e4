"""Notices by e-mail, when the board has an SMTP server: off the request path, bounded.

``smtp_host`` empty (the default) turns mail off and the board works as before. With a
host, a notice for a member who gave an address and asked for mail becomes a
:class:`Letter` in the :class:`Outbox`: a queue of at most ``mail_queue_max`` letters
that one task drains, sending each in a worker thread (``smtplib`` blocks). A full queue
drops the letter, and a failed send is logged, never raised: the notice is on the
member's notifications page either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from tinypier.settings import Settings

log = logging.getLogger(__name__)

STATE_KEY = "mail_outbox"


@dataclass(frozen=True)
class Letter:
    to: str
    subject: str
    body: str


def send_now(settings: Settings, letter: Letter) -> None:
    """One letter over SMTP (blocking): STARTTLS and login when the settings ask."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = letter.to
    message["Subject"] = letter.subject
    message.set_content(letter.body)
    timeout = settings.smtp_timeout_seconds
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as server:
        if settings.smtp_starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
        server.send_message(message)


class Outbox:
    """The board's letters waiting to be sent, and the task that sends them."""

    def __init__(
        self, settings: Settings, send: Callable[[Settings, Letter], None] = send_now
    ) -> None:
        self.settings = settings
        self._send = send
        self._queue: asyncio.Queue[Letter] = asyncio.Queue(maxsize=settings.mail_queue_max)
        self._worker: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.settings.smtp_host)

    def post(self, letter: Letter) -> bool:
        """Queue a letter; False (and a log line) when mail is off or the queue is full."""
        if not self.enabled:
            return False
        try:
            self._queue.put_nowait(letter)
        except asyncio.QueueFull:
            log.warning("mail queue full (mail_queue_max): a notice to %s is not mailed", letter.to)
            return False
        return True

    async def start(self) -> None:
        if self.enabled and self._worker is None:
            self._worker = asyncio.create_task(self._drain(), name="tinypier-mail")

    async def stop(self) -> None:
        """Stop sending; letters still queued are dropped (their notices stay on the page)."""
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
            self._worker = None

    async def drained(self) -> None:
        """Wait until every queued letter has been tried (tests, and a graceful stop)."""
        await self._queue.join()

    async def _drain(self) -> None:
        while True:
            letter = await self._queue.get()
            try:
                await asyncio.to_thread(self._send, self.settings, letter)
            except Exception:
                log.exception("could not mail a notice to %s", letter.to)
            finally:
                self._queue.task_done()
