"""Turn results (dataclasses, pandas frames, numpy scalars, dates, NaN) into plain JSON: one definition for
the web app's JSON and the ``to_dict`` of a plan and of a target's status."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd


def jsonable(obj):
    """A JSON-ready copy of ``obj``: NaN/NaT → None, dates → ISO strings, frames → list of rows."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, bool):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    if obj is pd.NaT:
        return None
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat() if (obj.hour or obj.minute or obj.second) else obj.date().isoformat()
    if isinstance(obj, (dt.datetime, dt.date)):
        return obj.isoformat()
    if isinstance(obj, pd.DataFrame):
        return [jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return jsonable(obj.to_list())
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [jsonable(v) for v in obj]
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        return jsonable(obj.to_dict())
    if dataclasses.is_dataclass(obj):
        return jsonable(dataclasses.asdict(obj))
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    return str(obj)
