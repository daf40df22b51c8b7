import os

from hypothesis import settings

# Lexicons load lazily on first use; timing is measured in benchmarks/, not here.
settings.register_profile("default", deadline=None, max_examples=100)
# The fuzz job (benchmarks/fuzz.py) runs the tests marked `fuzz` under this profile with many
# more cases; CI runs the same tests as a small sample under "default".
settings.register_profile(
    "fuzz", deadline=None, max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "2000")), print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def seeds_ttl(tmp_path_factory):
    """The five sample articles built once into a Turtle file."""
    from helpers import SEEDS

    from kg_builder.cli import main

    out = tmp_path_factory.mktemp("seeds") / "kg.ttl"
    assert main(["build", str(SEEDS), "-o", str(out), "-q"]) == 0
    return out


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def regen(request) -> bool:
    return request.config.getoption("--regen-golden")
