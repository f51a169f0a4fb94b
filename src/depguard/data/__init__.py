"""Bundled data files (see SOURCES.md in this directory) and the tooling that rebuilds them.

The run paths read the data files through :mod:`importlib.resources`; the tooling under
:mod:`depguard.data.refresh` and :mod:`depguard.data.upstream` uses the network and is never
imported by a check.
"""
