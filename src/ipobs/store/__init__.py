"""The store: schema, connection and batch imports. Nothing else writes tables."""

from ipobs.store.batch import BatchError, BatchResult, import_batch
from ipobs.store.db import Store, open_store, resolve_db_path

__all__ = ["BatchError", "BatchResult", "Store", "import_batch", "open_store", "resolve_db_path"]
