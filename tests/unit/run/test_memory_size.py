"""Memory limits as people write them ("2GB", "300M", "1.5 GiB", bytes; 0 for none)."""

import pytest

from ofsted_findings.run.pool import memory_size

MB = 1024**2


@pytest.mark.parametrize(
    ("text", "size"),
    [("2GB", 2 * 1024**3), ("300M", 300 * MB), ("1.5 GiB", int(1.5 * 1024**3)), ("4096", 4096), ("0", None)],
)
def test_memory_sizes(text, size):
    assert memory_size(text) == size


def test_a_memory_size_that_does_not_parse():
    with pytest.raises(ValueError, match="not a memory size"):
        memory_size("lots")
