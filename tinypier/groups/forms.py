"""The groups' HTML forms as typed records (see ``tinypier.forum.forms``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from tinypier.forum.forms import FORM


@dataclass
class GroupForm:
    name: str = ""
    description: str = ""
    join_mode: Literal["open", "request", "closed"] = "closed"


@dataclass
class AddMemberForm:
    """A member to add by name; ``leader`` (admins only) makes them a leader."""

    name: str = ""
    leader: str | None = None


GroupData = Annotated[GroupForm, FORM]
AddMemberData = Annotated[AddMemberForm, FORM]
