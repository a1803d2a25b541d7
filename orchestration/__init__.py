"""Generic Hamilton -> Dagster integration: plan a Hamilton graph with rustworkx, run it as assets."""
