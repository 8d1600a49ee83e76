"""The benchmark (`make bench`, or `python -m bench`): the dashboard measured against the raw
Revox API, with the targets of issue 9. See bench/run.py for the order of events."""
