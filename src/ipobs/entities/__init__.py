"""Names and places: normalization, entity resolution, regions. Reference data lives here as data."""
