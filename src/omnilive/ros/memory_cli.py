"""`omnilive memory search QUERY | stats | forget ...`: look into a memory, through a running
graph's services or directly in a store directory (--store, e.g. while the graph is stopped).
`omnilive memory export DEST | import SRC`: move a memory between stores (docs/fleet.md)."""
from __future__ import annotations

import argparse
import sys

from omnilive.reasoning.timephrases import clock


def _print_items(items) -> None:
    for item in items:
        print(f'[{item.kind}/{item.level} {clock(item.start)}-{clock(item.end)} '
              f'score {item.score:.2f}] {item.text[:100]}  ({item.id})')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='omnilive memory', description=__doc__)
    parser.add_argument('--namespace', default='/omnilive')
    parser.add_argument('--store', help='a memory directory to open directly instead')
    sub = parser.add_subparsers(dest='cmd', required=True)
    search = sub.add_parser('search', help='hybrid search')
    search.add_argument('query')
    search.add_argument('--top-k', type=int, default=8)
    search.add_argument('--kind', action='append', default=[])
    sub.add_parser('stats', help='counts per kind and level, bytes, compression')
    forget = sub.add_parser('forget', help='remove items (operator only)')
    forget.add_argument('--id', action='append', default=[])
    forget.add_argument('--query', default='')
    for name, help_ in (('export', 'write every item of a store to a directory or .tar.gz'),
                        ('import', 'put an export (or a memory directory) into a store')):
        move = sub.add_parser(name, help=help_)
        move.add_argument('path', help='export directory / archive' + (
            ', or a memory directory' if name == 'import' else ''))
        move.add_argument('--backend', choices=('sqlite', 'milvus'), default='sqlite')
        move.add_argument('--milvus-uri', default='')
        move.add_argument('--collection', default='')
        move.add_argument('--robot-id', default='', help='the robot the items are from')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.cmd in ('export', 'import'):
        return _transfer(args)
    if args.store:
        from omnilive.memory.store import MemoryStoreError, MemoryStore
        from omnilive.models.embedding import TextEmbedder
        try:
            store = MemoryStore(args.store, TextEmbedder())
        except MemoryStoreError as err:
            print(f'omnilive memory: {err}', file=sys.stderr)
            return 1
        if args.cmd == 'search':
            _print_items(store.retrieve(args.query, args.top_k, kinds=args.kind))
        elif args.cmd == 'stats':
            stats = store.stats()
            for (kind, level), n in stats['counts'].items():
                print(f'{kind:8} {level:6} {n}')
            print(f"bytes {stats['bytes']}  keyframes {stats['keyframe_bytes']}  compression "
                  f"{stats['compression_ratio']:.1f}x  span {clock(stats['oldest'])}-"
                  f"{clock(stats['newest'])}")
        else:
            print(f'removed {store.forget(args.id, args.query)}')
        store.close()
        return 0
    from omnilive.ros.client import GraphClient
    from omnilive.ros.convert import item_from_msg
    client = GraphClient(args.namespace, 'omnilive_memory_cli')
    try:
        if args.cmd == 'search':
            res = client.call('retrieve', client.srv.Retrieve.Request(
                query=args.query, top_k=args.top_k, kinds=args.kind))
            _print_items([item_from_msg(m) for m in res.items])
            print(f'({res.latency_ms:.1f} ms)')
        elif args.cmd == 'stats':
            res = client.call('stats', client.srv.Stats.Request())
            for kind, level, n in zip(res.kinds, res.levels, res.counts):
                print(f'{kind:8} {level:6} {n}')
            print(f'bytes {res.bytes}  keyframes {res.keyframe_bytes}  compression '
                  f'{res.compression_ratio:.1f}x')
        else:
            res = client.call('forget', client.srv.Forget.Request(ids=args.id, query=args.query))
            print(f'removed {res.removed}')
    except TimeoutError as err:
        print(f'omnilive memory: {err}', file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


def _transfer(args) -> int:
    """export/import: the store is --store (SQLite, or Milvus' keyframe directory)."""
    import json

    from omnilive.memory.store import MemoryStoreError
    from omnilive.memory.transfer import (TransferError, export_memory, export_robot_id,
                                          import_memory, open_backend)
    from omnilive.models.embedding import TextEmbedder
    if not args.store:
        print(f'omnilive memory {args.cmd}: --store DIR (before {args.cmd}) is required',
              file=sys.stderr)
        return 2
    robot = args.robot_id
    try:
        if args.cmd == 'import' and not robot:
            robot = export_robot_id(args.path)
        store = open_backend(args.backend, args.store, robot, args.milvus_uri, args.collection,
                             TextEmbedder())
        try:
            result = export_memory(store, args.path) if args.cmd == 'export' else \
                import_memory(args.path, store, robot)
        finally:
            store.close()
    except (TransferError, MemoryStoreError) as err:
        print(f'omnilive memory {args.cmd}: {err}', file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    return 0
