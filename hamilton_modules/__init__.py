"""The code-property-graph dataflow: plain Hamilton functions, no Dagster."""
