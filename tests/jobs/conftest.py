from collections.abc import Iterator

import pytest

from tests.jobs.deployment import Deployment, running_deployment


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    with running_deployment() as running:
        yield running
