"""Settings modules: base (shared), dev (default), test, prod."""
