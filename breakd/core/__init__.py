"""The pure core: events in, effects out, time from an injected clock.

Nothing in this package performs I/O, reads a clock or imports outside the
standard library; `tests/core/test_purity.py` holds that line.
"""
