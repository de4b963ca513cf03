"""Travel between cities: geodesic distance, mode, door-to-door minutes, CO2."""
