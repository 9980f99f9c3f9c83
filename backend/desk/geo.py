"""Distance on the earth between two fixes (haversine), and whether a GPS fix is far from where it should be."""

import math

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def is_far(distance: float, accuracy_m: float | None, threshold_m: float) -> bool:
    """Far when even the near edge of the fix's accuracy circle lies beyond ``threshold_m``."""
    return distance - (accuracy_m or 0.0) > threshold_m
