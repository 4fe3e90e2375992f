"""Reference data the indicator definitions read (derived files, each with the script that makes it)."""
