"""The control channel between the CLI and the running daemon."""
