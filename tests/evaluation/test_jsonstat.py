"""Reading JSON-stat 2.0 as the API answers it: the index as a list or a map, a dimension of
one category without an index, values as a list or a sparse map, nulls left out."""

from decimal import Decimal

import pytest

from evaluation.catalogue import TABLES
from evaluation.pxweb import Cell, PxWebError, TableChanged, read_jsonstat

ENTRY = TABLES["ROAD_DEATHS"]  # Haldusüksus × Näitaja × Aasta


def dataset(value, *, areas=("0141", "0198"), years=("2022", "2023")):
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ["Aasta", "Haldusüksus", "Näitaja"],  # another order than the query's
        "size": [len(years), len(areas), 1],
        "dimension": {
            "Aasta": {"category": {"index": list(years)}},
            "Haldusüksus": {"category": {"index": {code: n for n, code in enumerate(areas)}}},
            "Näitaja": {"category": {"label": {"2": "Persons killed"}}},
        },
        "value": value,
    }


def test_values_in_row_major_order_of_the_answers_dimensions():
    cells = list(read_jsonstat(dataset([1, None, 0, 2]), ENTRY))
    assert cells == [
        Cell("0141", 2022, Decimal(1)),
        Cell("0141", 2023, Decimal(0)),
        Cell("0198", 2023, Decimal(2)),
    ]


def test_a_sparse_map_of_values():
    cells = set(read_jsonstat(dataset({"3": 4, "1": 1.5}), ENTRY))
    assert cells == {Cell("0198", 2022, Decimal("1.5")), Cell("0198", 2023, Decimal(4))}


def test_an_answer_that_is_not_json_stat_is_refused():
    with pytest.raises(PxWebError, match="not a JSON-stat 2.0 dataset"):
        list(read_jsonstat({"columns": [], "data": []}, ENTRY))
    with pytest.raises(PxWebError, match="outside the dataset"):
        list(read_jsonstat(dataset({"9": 1}), ENTRY))
    answer = dataset([1, 2, 3, 4])
    answer["id"][2] = "Sugu"
    answer["dimension"]["Sugu"] = answer["dimension"].pop("Näitaja")
    with pytest.raises(TableChanged):
        list(read_jsonstat(answer, ENTRY))
