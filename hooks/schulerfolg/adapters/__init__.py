"""Adapters: the only modules that know a generator (MkDocs hooks, the Zensical build)."""
