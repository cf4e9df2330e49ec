"""Model tests: the default models' quality on real media, the classifier, the GPU-profile
loaders on tiny models."""
