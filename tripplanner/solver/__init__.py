"""The solver: a plain problem object, a construction + local-search heuristic, and CP-SAT."""
