"""The rule that picks the tests `make test-fast` leaves out (`cpu_costs.listed`), and the list
conftest reads keeping every test file in the fast run."""

from __future__ import annotations

from cpu_costs import SLOW_LIST, listed


def test_the_heavy_tests_are_listed_but_the_cheapest_of_each_file():
    rows = [("a.py::one", 2.0), ("a.py::two", 0.7), ("a.py::three", 0.1),
            ("b.py::only", 3.0), ("c.py::x", 0.9), ("c.py::y", 0.6)]
    assert listed(rows, 0.5) == [("a.py::one", 2.0), ("c.py::x", 0.9), ("a.py::two", 0.7)]
    assert listed(rows, 1.0) == [("a.py::one", 2.0)]


def test_the_list_names_tests_by_node_id_with_their_cost():
    rows = [line.split("\t") for line in SLOW_LIST.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert rows and all(len(row) == 2 and row[0].startswith("tests/") and "::" in row[0]
                        and float(row[1]) >= 0.5 for row in rows)
    assert len({row[0] for row in rows}) == len(rows)
