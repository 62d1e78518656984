"""Ejercicios del cuaderno 09 (guardar, exportar y servir el modelo)."""
from __future__ import annotations

from helpers.exercises.core import Exercise, Incorrect, call_learner_function, choice_checker

__all__ = ["browser_format", "safe_loading", "top_class"]

safe_loading = Exercise(
    "Cargar un archivo .pt ajeno",
    choice_checker("abcd", {
        "a": "con weights_only=False, torch.load deshace un pickle sin restricciones: el archivo "
             "puede ejecutar cualquier código en tu equipo al cargarse, como el de la celda de arriba.",
        "c": "pickle.load tiene exactamente el mismo riesgo: es el mecanismo que permite ejecutar "
             "código al cargar.",
        "d": "un .pt es un pickle y puede contener cualquier objeto de Python, también uno que "
             "ejecute código: lo acabas de ver con Trap.",
    }),
    hint="Recuerda qué pasó con sospechoso.pt según el valor de weights_only.",
    solution='safe_loading_answer = "b"',
)

_SAMPLES = [
    {"predicciones": [{"clase": "bota", "probabilidad": 0.9}, {"clase": "sandalia", "probabilidad": 0.07},
                      {"clase": "zapatilla", "probabilidad": 0.03}]},
    {"predicciones": [{"clase": "bolso", "probabilidad": 0.2}, {"clase": "camisa", "probabilidad": 0.7}]},
    {"predicciones": [{"clase": "abrigo", "probabilidad": 0.51}]},
]


def _check_top_class(function) -> None:
    for answer in _SAMPLES:
        expected = max(answer["predicciones"], key=lambda p: p["probabilidad"])["clase"]
        result = call_learner_function(function, answer)
        if isinstance(result, dict):
            raise Incorrect("devuelves el diccionario entero de la predicción; devuelve solo su "
                            "nombre, result[\"clase\"].")
        if result != expected:
            raise Incorrect(f"para {answer} devuelves {result!r}; la más probable es {expected!r}. "
                            "No des por hecho que la primera de la lista es la mayor: búscala.")


top_class = Exercise(
    "La clase más probable de la respuesta",
    _check_top_class,
    hint="answer[\"predicciones\"] es una lista de diccionarios {\"clase\", \"probabilidad\"}. "
         "max(lista, key=lambda p: p[\"probabilidad\"]) da el de mayor probabilidad.",
    solution="""
best = max(answer["predicciones"], key=lambda prediction: prediction["probabilidad"])
return best["clase"]
""",
)

browser_format = Exercise(
    "Qué archivo usa la página web",
    choice_checker("abcd", {
        "a": "un .keras solo lo abre Keras (con Python y TensorFlow detrás); el navegador no.",
        "b": "un state_dict son solo los pesos, y solo los entiende PyTorch junto con el código de "
             "la red.",
        "d": "el JSON describe la arquitectura, pero no trae los pesos, y ningún navegador lo sabe "
             "ejecutar tal cual.",
    }),
    hint="¿Qué formato ejecuta ONNX Runtime Web?",
    solution='browser_format_answer = "c"',
)
