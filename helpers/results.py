"""Resultados de los cuadernos: tablas de comparación y el resultado principal para las mediciones.

- ``show_table(rows)``: muestra una tabla de experimentos (Markdown en Jupyter, texto fuera).
- ``comparison_row(...)``: una fila de la tabla que compara modelos (cuadernos 08a y 08b).
- ``record_result(...)``: al final de cada cuaderno que entrena, muestra el resultado principal y,
  si la variable ``CNN_RESULTS_FILE`` apunta a un archivo (lo hace ``make bench``), lo guarda allí
  en JSON para que la medición lo anote en ``benchmarks/results.md``.
- ``tensorflow_onednn()``: si el TensorFlow del proceso usa oneDNN (la medición lo anota).
- ``fast_mode_note()``: en modo rápido, avisa bajo un resultado de que no es representativo (y, con
  la exactitud final, si no supera al azar).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from helpers.config import fast_mode

__all__ = ["comparison_row", "fast_mode_note", "format_result", "format_table", "is_seconds", "record_result",
           "show_table", "tensorflow_onednn"]


def fast_mode_note(detail: str = "pocas fotos y épocas", *, accuracy: float | None = None,
                   classes: int | None = None) -> None:
    """En modo rápido, dice bajo un resultado (tabla, curva, exactitud) que sus cifras no son representativas.

    Con ``accuracy`` y ``classes`` (el resultado final del cuaderno) comprueba además que el modo
    rápido entrenó algo mejor que el azar, ``1 / classes``: si no, lo avisa bien visible y, en las
    pruebas y mediciones (``CNN_STRICT_CHECKS=1``), detiene el cuaderno con ese aviso.

    Parámetros:
        detail: qué recorta el modo rápido en ese resultado (``"una época con 2000 fotos"``).
        accuracy: exactitud del modelo final, entre 0 y 1.
        classes: número de clases del problema.

    Ejemplo:
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {"CNN_FAST": "1", "CNN_STRICT_CHECKS": "0"}):
        ...     fast_mode_note("una sola época", accuracy=0.08, classes=10)  # doctest: +ELLIPSIS
        (Modo rápido: una sola época; estas cifras no son representativas. Las del modo completo ...)
        ⚠️ ¡ATENCIÓN! La exactitud (8.0 %) no supera la del azar con 10 clases (10.0 %): ...
    """
    if not fast_mode():
        return
    print(f"(Modo rápido: {detail}; estas cifras no son representativas. Las del modo completo "
          "están en benchmarks/results.md.)")
    if accuracy is None or classes is None or accuracy > 1 / classes:
        return
    warning = (f"⚠️ ¡ATENCIÓN! La exactitud ({100 * accuracy:.1f} %) no supera la del azar con {classes} "
               f"clases ({100 / classes:.1f} %): aunque sus cifras no sean representativas, el modo "
               "rápido debe entrenar algo mejor que el azar. Algo falla en el entrenamiento o en los "
               "datos: vuelve a ejecutar el cuaderno desde el principio y, si se repite, avisa a quien "
               "mantiene el curso.")
    from helpers.exercises.core import strict_checks

    if strict_checks():
        raise RuntimeError(warning)
    print(warning)


def record_result(notebook: str, metric: str, value: float, **details: object) -> None:
    """Muestra el resultado principal del cuaderno y lo guarda si hay una medición en curso.

    Parámetros:
        notebook: número del cuaderno (``"04"``).
        metric: qué se mide, en español (``"exactitud en prueba"``).
        value: el valor; las exactitudes van en [0, 1] y se muestran en %.
        details: datos útiles para la tabla de resultados (``epochs=12``…).

    Ejemplo:
        >>> record_result("04", "exactitud en prueba", 0.9312, epochs=12)
        Cuaderno 04 · exactitud en prueba: 93.12 % (épocas: 12)
    """
    record = {"notebook": notebook, "metric": metric, "value": float(value),
              "fast_mode": fast_mode(), "onednn": tensorflow_onednn(), **details}
    shown = format_result(metric, value)
    extra = ", ".join(f"{_DETAIL_NAMES.get(k, k)}: {v}" for k, v in details.items())
    print(f"Cuaderno {notebook} · {metric}: {shown}" + (f" ({extra})" if extra else ""))
    target = os.environ.get("CNN_RESULTS_FILE")
    if target:
        path = Path(target)
        results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        results.append(record)
        path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


_DETAIL_NAMES = {"epochs": "épocas", "best_epoch": "época del punto de control"}


def is_seconds(metric: str) -> bool:
    """Indica si un resultado es un tiempo: su nombre empieza por «segundos» («segundos por época de…»).

    Ejemplo:
        >>> is_seconds("segundos por época de la CNN pequeña"), is_seconds("exactitud en prueba")
        (True, False)
    """
    return metric.strip().startswith("segundos")


def format_result(metric: str, value: float) -> str:
    """Un resultado como lo muestran el cuaderno y la tabla de mediciones: una fracción en [0, 1]
    en %, salvo los tiempos (``metric`` empieza por «segundos»); el resto, con 4 cifras significativas.

    Ejemplo:
        >>> format_result("exactitud", 0.9118), format_result("segundos por época", 0.25)
        ('91.18 %', '0.25')
    """
    if 0 <= value <= 1 and not is_seconds(metric):
        return f"{value:.2%}".replace("%", " %")
    return f"{value:.4g}"


def tensorflow_onednn() -> bool | None:
    """Indica si el TensorFlow de este proceso usa oneDNN; ``None`` si aún no se ha cargado (no lo carga).

    TensorFlow lo activa por omisión en procesadores con AVX-512 y ``TF_ENABLE_ONEDNN_OPTS=0`` lo
    desactiva; ``IsMklEnabled`` responde lo mismo que decide TensorFlow al elegir sus operaciones
    (con ``ONEDNN_VERBOSE=1`` se ve: activado, una convolución corre en oneDNN; desactivado, no).

    Ejemplo:
        >>> tensorflow_onednn() in (True, False, None)
        True
    """
    if "tensorflow" not in sys.modules:
        return None
    from tensorflow.python.util import _pywrap_util_port

    return bool(_pywrap_util_port.IsMklEnabled())


def comparison_row(name: str, *, trainable: int, accuracy: float, top3: float, epochs: int,
                   seconds: float) -> dict:
    """Fila de la tabla que compara modelos: la validación del mejor punto de control de cada uno.

    Ejemplo:
        >>> comparison_row("base", trainable=1200, accuracy=0.5, top3=0.8, epochs=3, seconds=61.7)["tiempo"]
        '62 s'
    """
    return {"modelo": name, "parámetros entrenables": trainable,
            "exactitud validación (mejor época)": accuracy, "top-3 validación": top3,
            "épocas": epochs, "tiempo": f"{seconds:.0f} s"}


def _cell(value: object, column: str) -> str:
    """Texto de una celda: las fracciones en [0, 1] como porcentaje, salvo en una columna cuyo nombre
    lleva «%» (ya viene en porcentaje: 1.0 es el 1 %, no el 100 %); el resto tal cual."""
    if isinstance(value, float) and 0 <= value <= 1 and "%" not in column:
        return f"{value:.1%}".replace("%", " %")
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def format_table(rows: list[dict]) -> str:
    """Tabla Markdown con una fila por diccionario; las columnas son las claves de la primera fila.
    Una fracción entre 0 y 1 se escribe como porcentaje, salvo en las columnas cuyo nombre lleva «%».

    Ejemplo:
        >>> print(format_table([{"modelo": "base", "exactitud": 0.712, "épocas": 6}]))
        | modelo | exactitud | épocas |
        |---|---|---|
        | base | 71.2 % | 6 |
    """
    if not rows:
        raise ValueError("format_table necesita al menos una fila.")
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(column, ""), column) for column in columns) + " |"
              for row in rows]
    return "\n".join(lines)


def show_table(rows: list[dict]) -> None:
    """Muestra una tabla de resultados: formateada en Jupyter, como texto Markdown fuera de él.

    Ejemplo:
        >>> show_table([{"modelo": "base", "exactitud": 0.5}])  # doctest: +SKIP
    """
    table = format_table(rows)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None:
            display(Markdown(table))
            return
    except ImportError:
        pass
    print(table)
