import pytest

from agora.core.csvfiles import CsvImportError, open_reader, safe_cell


class ThingImportError(CsvImportError):
    pass


def test_semicolons_and_the_spreadsheet_bom_are_read():
    reader, header = open_reader("\ufeffCode ; Name\nA;Alpha\n".encode("utf-8"))
    assert header == ["code", "name"]
    reader.fieldnames = header
    assert [(reader.line_num, row["name"]) for row in reader] == [(2, "Alpha")]


def test_a_file_that_is_not_utf8_is_refused_with_the_importers_own_error():
    with pytest.raises(ThingImportError) as refused:
        open_reader("code,name\nA,Hélène\n".encode("latin-1"), ThingImportError)
    assert refused.value.errors[0][0] == 0 and "UTF-8" in str(refused.value)


@pytest.mark.parametrize(
    "value, shown",
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+33 6 12", "'+33 6 12"),
        ("-12.5", "-12.5"),
        ("Vélo", "Vélo"),
        (None, ""),
        (42, 42),
        (-3.5, -3.5),
        ("-1+1", "'-1+1"),
        ("＝1+1", "'＝1+1"),
        (" =1+1", "' =1+1"),
        ("\n=1", "'\n=1"),
    ],
)
def test_cells_never_run_as_formulas(value, shown):
    assert safe_cell(value) == shown
