"""Memory tests: labels, the store, migration, compression, the memory node."""
