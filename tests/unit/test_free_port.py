"""The one port picker of the suite and the benches never hands out a port twice in a run:
a platform takes eleven, and a repeat made one service fail to start (seen in CI)."""

from tests.conftest import free_port


def test_no_port_is_handed_out_twice() -> None:
    ports = [free_port() for _ in range(500)]
    assert len(set(ports)) == len(ports)
