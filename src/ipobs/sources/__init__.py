"""File formats → canonical records. One module per format family; each registers itself in
:mod:`ipobs.sources.registry`. Sources know nothing downstream of the records."""
