"""Console-script entry points of the nodes.

Checks the generated interface packages first, so a node started before they are built exits with
instructions instead of an import traceback, then runs the node module's main().
"""
from __future__ import annotations

import importlib
import sys

from omnilive.ros.graph import EXIT_CONFIG
from omnilive.ros.interfaces import InterfaceMissing, require

NODE_MODULES = {
    'perception': 'omnilive.ros.perception_node',
    'memory': 'omnilive.ros.memory_node',
    'reasoning': 'omnilive.ros.reasoning_node',
    'tts': 'omnilive.ros.tts_node',
}


def run(node: str) -> int:
    try:
        for pkg in ('omnilive_msgs', 'audio_common_msgs'):
            require(pkg, 'msg')
    except InterfaceMissing as err:
        print(f'[{node}] cannot start: {err}', file=sys.stderr)
        return EXIT_CONFIG  # a restart cannot help: supervisors and launch do not respawn it
    return int(importlib.import_module(NODE_MODULES[node]).main() or 0)


def perception() -> None:
    sys.exit(run('perception'))


def memory() -> None:
    sys.exit(run('memory'))


def reasoning() -> None:
    sys.exit(run('reasoning'))


def tts() -> None:
    sys.exit(run('tts'))
