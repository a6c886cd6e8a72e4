"""Dependencies every route may ask for by name: ``db`` and ``settings``.

A handler declares them as ``db: NamedDependency[Database]`` and
``settings: NamedDependency[Settings]`` (``litestar.di``): Litestar 2.23+ warns about
dependencies it has to infer from a bare name, and Litestar 3 drops them.
"""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import Provide

from tinypier.db.connection import Database
from tinypier.settings import Settings


def provide_db(state: State) -> Database:
    database: Database = state.db
    return database


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


DEPENDENCIES = {
    "db": Provide(provide_db, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}
