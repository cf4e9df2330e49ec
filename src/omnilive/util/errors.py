"""Errors shared across packages."""
from __future__ import annotations


class ConfigurationError(Exception):
    """What a node's configuration makes impossible: a missing or damaged model, an unusable
    memory directory. A node that meets one at start-up exits with graph.EXIT_CONFIG, which
    supervisors and launch do not restart (a restart cannot help)."""
