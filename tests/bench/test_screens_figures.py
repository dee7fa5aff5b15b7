"""The screens bench's figures over several processes (bench/screens.py `combined`)."""

from __future__ import annotations

from bench.screens import combined


def test_each_measure_is_the_median_of_the_runs_and_each_key_its_own_median():
    """One slow moment of the machine in one run is not a slow key; a key slow in every run is."""
    runs = [{"afnames_again": 0.040, "afnames_keys": [0.030, 0.031, 0.090]},
            {"afnames_again": 0.300, "afnames_keys": [0.028, 0.080, 0.088]},
            {"afnames_again": 0.045, "afnames_keys": [0.070, 0.029, 0.092]}]
    found = combined(runs)
    assert found["afnames_again"] == 0.045
    assert found["afnames_keys"] == [0.030, 0.031, 0.090]
    assert combined(runs[:1]) == runs[0]
