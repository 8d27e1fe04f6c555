"""Golden files: analyzer output on the seed articles, regenerated only on purpose and reviewed."""
