"""breakd: a sedentary-break reminder daemon.

Kept import-free on purpose: the CLI imports this package on every call, and a
`breakd status` round trip must stay close to a bare interpreter start.
"""

__version__ = "0.1.0"
