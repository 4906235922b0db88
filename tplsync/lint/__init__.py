"""Offline checks of template files (SPEC §3.1)."""
