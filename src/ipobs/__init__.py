"""IP Observatory: records, indicators, monitoring and search for a regional IP programme."""

__version__ = "0.1.0"
