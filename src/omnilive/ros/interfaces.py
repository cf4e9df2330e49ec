"""Imports of the generated interface packages, with an error that says how to build them."""
from __future__ import annotations

import importlib

BUILD_HINT = (
    "The ROS interface package '{pkg}' is not importable ({err}).\n"
    "Build it:\n"
    "  * in this project's venv: bash scripts/setup.sh"
    "   (builds omnilive_msgs and, where missing,\n"
    "    wire-compatible audio_common_msgs and vision_msgs into .venv)\n"
    "  * in a ROS 2 workspace:  colcon build --base-paths src/omnilive src/omnilive/msg &&\n"
    "    source install/setup.bash"
    "   (audio_common_msgs, vision_msgs: rosdep install, see README.md)"
)


class InterfaceMissing(ImportError):
    pass


def require(pkg: str, sub: str = 'msg'):
    """Import `<pkg>.<sub>` or raise InterfaceMissing with build instructions."""
    try:
        return importlib.import_module(f'{pkg}.{sub}')
    except ImportError as err:
        raise InterfaceMissing(BUILD_HINT.format(pkg=pkg, err=err)) from err


def omnilive_msgs():
    return require('omnilive_msgs', 'msg')


def omnilive_srvs():
    return require('omnilive_msgs', 'srv')


def omnilive_actions():
    return require('omnilive_msgs', 'action')


def audio_msgs():
    return require('audio_common_msgs', 'msg')
