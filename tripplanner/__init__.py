"""tripplanner: draft itineraries for official trips abroad.

Fixed invitation events are anchors; a constraint solver adds nearby target cities
with relevant policy projects, under the trip window and daily travel limits.
"""

__version__ = "0.1.0"
