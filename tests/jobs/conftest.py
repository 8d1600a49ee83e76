from tests.jobs.deployment import deployment  # noqa: F401 (fixture)
