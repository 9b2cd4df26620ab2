"""Ids that are not numbers in an imported results file: the line is named, never a 500."""

import pytest
from django.utils import translation

from agora.components.accountability import csv_io
from agora.components.accountability.models import Result


@pytest.mark.parametrize("column, value", [("id", "²"), ("id", "9" * 30), ("idea_ids", "²"), ("idea_ids", "1 ³")])
def test_a_superscript_or_huge_id_is_a_line_error(component, space_admin, column, value):
    data = f'reference,title_fr,title_en,{column}\nA,Bon,Good,\nB,Mauvais,Bad,"{value}"\n'
    with pytest.raises(csv_io.ResultImportError) as error, translation.override("en"):
        csv_io.import_csv(actor=space_admin, component=component, data=data)
    assert [line for line, _reason in error.value.errors] == [3]
    assert not Result.objects.exists()
