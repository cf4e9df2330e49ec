"""Tests of omnilive.util: diagnostics schema, parameters, timing and poses, worker threads."""
