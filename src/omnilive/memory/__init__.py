"""The memory: items and typed labels, the store, compression, captions, the vector index."""
