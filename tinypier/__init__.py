"""TinyPier: a forum and private BitTorrent tracker in one process over one SQLite file."""

__version__ = "0.1.0"
