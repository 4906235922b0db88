"""Dialects of the EngageLab template API; each module is the only place that
knows its URLs and field names."""
