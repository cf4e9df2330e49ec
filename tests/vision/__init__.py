"""Tests of the vision library: scene segmentation, clip facts, categories, colours."""
