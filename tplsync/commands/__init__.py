"""One module per command: ``run_<command>(…)`` takes plain typed values and
returns the exit code."""
