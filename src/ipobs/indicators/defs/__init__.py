"""The built-in indicator definitions, one small entry per indicator, grouped by record kind."""
