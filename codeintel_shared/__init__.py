"""Runtime helpers that both layers use: the dataflow (``hamilton_modules``) and the generic
Hamilton -> Dagster layer (``orchestration``) may import this package; it imports neither of them,
nor Dagster, nor Hamilton (like ``dagster_shared`` under Dagster's own packages)."""

from codeintel_shared.background import BackgroundWriter

__all__ = ["BackgroundWriter"]
