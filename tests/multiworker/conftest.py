from tests.multiworker.servers import app_servers, servers  # noqa: F401 (fixtures)
