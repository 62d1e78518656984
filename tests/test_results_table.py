"""Las tablas de resultados escriben cada cifra como lo que es: una fracción o un porcentaje ya hecho."""
from helpers.results import format_table


def test_a_fraction_between_zero_and_one_is_written_as_a_percentage():
    table = format_table([{"modelo": "base", "exactitud": 0.712, "épocas": 6}])
    assert table.splitlines()[-1] == "| base | 71.2 % | 6 |"


def test_in_a_column_already_in_percent_a_small_share_stays_small():
    """El perfil del 05b da «% del tiempo» = 1.0 al pooling: es el 1 %, no el 100 %."""
    rows = [{"parte del paso": "convolución, ida", "% del tiempo": 30.8},
            {"parte del paso": "pooling, ida y vuelta", "% del tiempo": 1.0},
            {"parte del paso": "resto", "% del tiempo": 0.4}]
    lines = format_table(rows).splitlines()
    assert lines[2:] == ["| convolución, ida | 30.8 |", "| pooling, ida y vuelta | 1 |", "| resto | 0.4 |"]
