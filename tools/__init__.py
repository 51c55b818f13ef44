"""Development tools (evaluation, benchmarks, snapshots); not installed with the package."""
