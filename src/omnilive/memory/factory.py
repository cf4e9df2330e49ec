"""The memory backend a memory node's configuration asks for, and the robots a retrieval's
scope covers. Credentials of a Milvus server come from the environment only (MILVUS_TOKEN, or
MILVUS_USER and MILVUS_PASSWORD), never from a parameter file in a repository."""
from __future__ import annotations

import os
import socket
from typing import Optional

from omnilive.memory.backend import MemoryBackend
from omnilive.util.errors import ConfigurationError
from omnilive.util.node_config import robot_id

SCOPE_ROBOT, SCOPE_FLEET = 'robot', 'fleet'
# parameters the store reads on every use: a change applies to the next insert or compression
STORE_SETTINGS = ('short_term_window_s', 'budget_items', 'budget_bytes', 'episode_gap_s',
                  'scene_similarity', 'keyframes_per_episode')


def robot_id_for(namespace: str, configured: str = '') -> str:
    """The configured robot_id, else the namespace ('/robot1' -> 'robot1', as perception names
    its items), else the host name (one robot started without a namespace)."""
    return robot_id(configured.strip(), namespace) or socket.gethostname() or 'robot'


def robots_in_scope(scope: str, robot_ids, own: str, default: str) -> Optional[list[str]]:
    """robot_ids a retrieval covers: [own] for the robot scope; for the fleet scope the ones
    asked for, or None (every robot)."""
    scope = scope or default
    if scope == SCOPE_ROBOT:
        return [own]
    if scope == SCOPE_FLEET:
        return [r for r in robot_ids if r] or None
    raise ValueError(f'unknown retrieval scope {scope!r}; expected {SCOPE_ROBOT!r} or '
                     f'{SCOPE_FLEET!r} (or empty for the default)')


def open_store(cfg, robot_id: str, embedder=None) -> MemoryBackend:
    """The backend of a MemoryConfig: SQLite + faiss in storage_path, or a Milvus collection."""
    if embedder is None:
        from omnilive.models.embedding import TextEmbedder
        emb = cfg.text_embedding
        embedder = TextEmbedder(emb.model, device=emb.device, threads=emb.threads)
    path = os.path.expanduser(cfg.storage_path)
    settings = {name: getattr(cfg, name) for name in STORE_SETTINGS}
    if cfg.backend == 'sqlite':
        from omnilive.memory.store import MemoryStore
        return MemoryStore(path, embedder, robot_id=robot_id, **settings)
    if cfg.backend == 'milvus':
        from omnilive.memory.milvus import MilvusStore
        return MilvusStore(cfg.milvus_uri, embedder, local_dir=path, robot_id=robot_id,
                           collection=cfg.collection, token=os.environ.get('MILVUS_TOKEN', ''),
                           user=os.environ.get('MILVUS_USER', ''),
                           password=os.environ.get('MILVUS_PASSWORD', ''), **settings)
    raise ConfigurationError(f'memory backend {cfg.backend!r} is not sqlite or milvus')
