"""Where omnilive's installed data (config/, launch/, models/manifest.yaml) lives.

Installed by colcon or a wheel: share/omnilive from the ament index. Editable install in the
project venv (scripts/setup.sh): the source tree itself, so edits to config/ apply at once.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=None)
def share_dir() -> Path:
    if (SOURCE_ROOT / 'package.xml').is_file() and (SOURCE_ROOT / 'config').is_dir():
        return SOURCE_ROOT
    try:
        from ament_index_python.packages import get_package_share_directory
        return Path(get_package_share_directory('omnilive'))
    except (ImportError, LookupError) as err:
        raise FileNotFoundError(
            'omnilive share directory not found: install the package with colcon '
            '(colcon build --base-paths src/omnilive src/omnilive/msg) or bash scripts/setup.sh'
        ) from err


def config_file(profile: str) -> Path:
    path = share_dir() / 'config' / f'{profile}.yaml'
    if not path.is_file():
        available = sorted(p.stem for p in (share_dir() / 'config').glob('*.yaml'))
        raise FileNotFoundError(f'no config profile {profile!r} at {path}; available: {available}')
    return path
