"""Importers: boards of other forum and tracker engines moved into TinyPier."""
