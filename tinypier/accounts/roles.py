"""The four roles, ordered: each role may do what the ones below it may."""

from __future__ import annotations

from enum import IntEnum


class Role(IntEnum):
    GUEST = 0
    USER = 1
    MODERATOR = 2
    ADMIN = 3

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(
                f"unknown role {name!r}: expected guest, user, moderator or admin"
            ) from None

    @property
    def label(self) -> str:
        return self.name.lower()


MEMBER_ROLES = (Role.USER, Role.MODERATOR, Role.ADMIN)
