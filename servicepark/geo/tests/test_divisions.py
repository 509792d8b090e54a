import pytest

from servicepark.geo.codes import is_within, significant_prefix
from servicepark.geo.models import Division
from servicepark.geo.selectors import division_ancestors, division_descendants

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_the_whole_mca_table_is_loaded_by_migrate():
    assert Division.objects.count() == 41_934
    assert Division.objects.get(code="310107015").name == "长寿路街道"
    assert Division.objects.filter(level=4).count() == 38_723


def test_ancestors_run_from_province_down():
    names = [d.name for d in division_ancestors("310107015")]
    assert names == ["上海市", "普陀区", "长寿路街道"]
    assert [d.code for d in division_ancestors("510107019")] == [
        "510000",
        "510100",
        "510107",
        "510107019",
    ]


def test_descendants_and_within():
    putuo = set(division_descendants("310107").values_list("code", flat=True))
    assert "310107015" in putuo and "310107" not in putuo
    assert all(code.startswith("310107") for code in putuo)
    assert is_within("310107015", "310000")
    assert is_within("510107019", "510100")
    assert not is_within("510107019", "510200")
    assert not is_within("110102", "110101")
    assert significant_prefix("370000") == "37"
    assert significant_prefix("370100") == "3701"


def test_every_parent_is_a_prefix_of_its_children():
    rows = Division.objects.exclude(parent=None).values_list("code", "parent_id")
    assert all(is_within(code, parent) for code, parent in rows)
