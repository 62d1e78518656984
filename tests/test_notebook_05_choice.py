"""05 mide en prueba el punto de control del experimento que eligió la validación, sea cual sea."""
from types import SimpleNamespace

import nbformat
import pytest

from helpers.exercises import nb05
from tools.bench import find_solution

EXPERIMENTS = ("1_base", "1_base_semilla_43", "2_regularizada", "3_regularizada_programa")


def _choice_cell() -> str:
    notebook = nbformat.read(find_solution("05"), as_version=4)
    (cell,) = [c.source for c in notebook.cells if c.cell_type == "code" and "load_model(" in c.source]
    return cell


def _run_choice(best_validations: list[float]):
    """Ejecuta la celda de la elección con cuatro experimentos simulados; devuelve (ruta cargada, namespace)."""
    loaded = []

    def load_model(path):
        loaded.append(path)
        return SimpleNamespace(evaluate=lambda data, verbose=0: [0.0, 0.5])

    histories = {name: SimpleNamespace(history={"loss": [1.0, 0.9], "val_accuracy": [value - 0.01, value]})
                 for name, value in zip(EXPERIMENTS, best_validations)}
    namespace = {
        "results": [{"experimento": name, "mejor validación": value}
                    for name, value in zip(EXPERIMENTS, best_validations)],
        "history_base": histories["1_base"], "history_base_repeat": histories["1_base_semilla_43"],
        "history_regularized": histories["2_regularizada"], "history_schedule": histories["3_regularizada_programa"],
        "keras": SimpleNamespace(models=SimpleNamespace(load_model=load_model)), "ex": nb05,
        "CHECKPOINT_DIR": "models/05", "val_ds": None, "fast_mode_note": lambda *args: None,
    }
    exec(compile(_choice_cell(), "05_eleccion", "exec"), namespace)
    return loaded, namespace, histories


@pytest.mark.parametrize("best_validations, expected", [
    ([0.60, 0.61, 0.66, 0.64], "2_regularizada"),          # la regularizada con tasa fija gana
    ([0.60, 0.61, 0.64, 0.66], "3_regularizada_programa"),
    ([0.70, 0.61, 0.64, 0.66], "1_base"),                   # la base también puede ganar
    ([0.60, 0.66, 0.62, 0.66], "1_base_semilla_43"),        # empate: el primero de la tabla
])
def test_the_checkpoint_tested_is_the_one_with_the_highest_best_validation(best_validations, expected, capsys):
    loaded, namespace, histories = _run_choice(best_validations)
    assert loaded == [f"models/05/{expected}.keras"]
    assert namespace["chosen"] == expected
    assert namespace["curves"] is histories[expected].history
    assert f"Elegido: {expected}" in capsys.readouterr().out
