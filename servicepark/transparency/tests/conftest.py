import pytest

from servicepark.transparency.tests.factories import World, build_world
from servicepark.transparency.tests.helpers import export_giving, export_ocds


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def ocds_package(world, tmp_path):
    """The OCDS release package of `world`, parsed."""
    return export_ocds(tmp_path / "ocds.json")


@pytest.fixture
def giving_package(world, tmp_path):
    return export_giving(tmp_path / "grants.json")
