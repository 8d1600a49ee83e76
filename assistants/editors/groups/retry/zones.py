"""The time zones offered for a calling plan: the canonical IANA names grouped by region, and
"from the callee's phone number" (Revox's null)."""

from __future__ import annotations

import functools
import zoneinfo

UNKNOWN_TIMEZONE = (
    "Choose a time zone from the list (e.g. America/New_York), or “From the callee's phone number”."
)


CALLEE_ZONE_LABEL = "From the callee's phone number"


# Region names that IANA uses as the first part of canonical zone names.
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
           "Indian", "Pacific")  # fmt: skip


@functools.cache
def iana_zones() -> frozenset[str]:
    # Scanning tzdata takes a while: once per process is enough.
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def timezone_choices() -> tuple:
    """The IANA list grouped by region for a <select>: 'America' › 'New York'. Legacy aliases
    (US/Eastern, EST5EDT…) and UTC/Etc go under "Other"."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in (*REGIONS, "Other")}
    for name in sorted(iana_zones()):
        region, _, place = name.partition("/")
        if region in REGIONS and place:
            groups[region].append((name, place.replace("_", " ").replace("/", " / ")))
        else:
            groups["Other"].append((name, name.replace("_", " ").replace("/", " / ")))
    return (
        ("", CALLEE_ZONE_LABEL),
        *((region, zones) for region, zones in groups.items() if zones),
    )
