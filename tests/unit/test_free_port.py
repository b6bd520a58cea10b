"""The port pickers of the suite and the benches never hand out one port twice in a run:
a platform takes eleven, and a repeat made one service fail to start (seen in CI)."""

from bench.gateway import free_port as bench_free_port
from tests.conftest import free_port


def test_no_port_is_handed_out_twice() -> None:
    for pick in (free_port, bench_free_port):
        ports = [pick() for _ in range(500)]
        assert len(set(ports)) == len(ports)
