"""Shared fixtures: a seeded random generator, a headless matplotlib, no figure left open."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

# Headless, and set before anything imports pyplot.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def rng() -> np.random.Generator:
    """A random generator with a fixed seed (tests are repeatable)."""
    return np.random.default_rng(20080630)


@pytest.fixture(autouse=True)
def close_figures():
    """Close every pyplot figure a test opened (only when the test used matplotlib)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close("all")
