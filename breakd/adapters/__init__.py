"""Thin adapters around the core: one module per platform mechanism."""
