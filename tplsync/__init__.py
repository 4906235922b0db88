"""tplsync: EngageLab SMS templates as code."""

__version__ = "0.1.0"
