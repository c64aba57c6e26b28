"""Settings and URLs for benchmarking: the real project plus one bare view as a baseline."""
