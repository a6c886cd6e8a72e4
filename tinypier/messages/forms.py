"""The private messages' HTML forms as typed records (Litestar decodes them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class NewMessageForm:
    """A new conversation; ``to`` holds member names separated by commas."""

    to: str = ""
    subject: str = ""
    body: str = ""


@dataclass
class ReplyForm:
    body: str = ""


@dataclass
class ParticipantForm:
    member_id: int


@dataclass
class BlockForm:
    name: str = ""


@dataclass
class ReportForm:
    reason: str = ""
