"""Use cases: what the CLI, the web UI and job workers call.

They take plain arguments and a database session (never a web request), so
every caller runs the same code.
"""
