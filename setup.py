"""Setuptools' part of the build: the package metadata lives in pyproject.toml; this adds
the tracker's hot path as mypyc extensions when the build backend decided to compile
(``build_backend/tinypier_backend.py``, switch ``TINYPIER_COMPILE``)."""

from setuptools import setup
from tinypier_backend import hot_path_extensions

setup(ext_modules=hot_path_extensions())
