"""Ejercicios del cuaderno 09 (guardar, exportar y servir el modelo)."""
from __future__ import annotations

import ast

from helpers.exercises.core import (
    Exercise,
    Incorrect,
    NotAttempted,
    call_learner_function,
    calls_in,
    choice_checker,
    learner_code,
)

__all__ = ["ONNX_OPSET", "ask_api", "ask_api_reference", "browser_format", "export_to_onnx_reference",
           "onnx_export", "safe_loading", "top_class", "top_class_reference"]

safe_loading = Exercise(
    "Cargar unos pesos ajenos",
    choice_checker("abcd", {
        "a": "antes de PyTorch 2.6, weights_only=True se podía saltar (CVE-2025-32434): con tu torch 2.5, "
             "un .pt malicioso puede ejecutar código aunque lo cargues así.",
        "b": "el valor por defecto weights_only=True llegó con PyTorch 2.6; con tu torch 2.5, torch.load a "
             "secas usa weights_only=False y ejecuta lo que traiga el pickle.",
        "d": "el código escondido se ejecuta durante la carga, antes de que haya nada que capturar: lo "
             "viste con Trap, que imprimió su mensaje sin ninguna excepción.",
    }),
    hint=("Pregúntate, para cada archivo, si cargarlo puede ejecutar código, y si la protección de la "
          "opción depende de la versión de PyTorch que tienes.",
          "Relee qué cambió en PyTorch 2.6 (el valor por defecto y el CVE) y qué guarda un archivo "
          "safetensors; en la celda de Trap, fíjate en cuándo se imprimió el mensaje."),
    solution='safe_loading_answer = "c"',
)

#: La versión del conjunto de operaciones ONNX (*opset*) que fija el enunciado del ejercicio de exportación.
ONNX_OPSET = 18
_COURSE_EXPORTERS = ["export_torch_onnx", "export_keras_onnx", "export_to_onnx_reference"]


def export_to_onnx_reference(model, path) -> None:
    """Versión del curso de ``export_to_onnx``: la red de PyTorch con *softmax*, en ONNX con el opset fijado.

    Ejemplo:
        >>> export_to_onnx_reference(torch_model, "models/09/a_mano.onnx")   # doctest: +SKIP
    """
    import torch

    with_softmax = torch.nn.Sequential(model, torch.nn.Softmax(dim=1)).eval()
    torch.onnx.export(with_softmax, (torch.zeros(2, 1, 28, 28),), path, opset_version=ONNX_OPSET,
                      input_names=["imagen"], output_names=["probabilidades"], dynamo=True,
                      external_data=False, dynamic_shapes=[{0: torch.export.Dim("lote")}], verbose=False)


def _check_onnx_export(function, model) -> None:
    """``model`` (la red de PyTorch que da logits) lo da el cuaderno con ``onnx_export.bind(model=…)``."""
    import tempfile
    from pathlib import Path

    import numpy as np
    import onnx
    import onnxruntime
    import torch

    tree = learner_code(function)
    if tree is not None and any(isinstance(node, ast.Name) and node.id == "____" for node in ast.walk(tree)):
        raise NotAttempted  # la función no devuelve nada: el marcador sin rellenar lo delata
    found = calls_in(function, _COURSE_EXPORTERS)
    if found:
        raise Incorrect(f"llamas a {found[0]}, la versión del curso: escribe tú la llamada a torch.onnx.export.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ejercicio.onnx"
        call_learner_function(function, model, path)
        if not path.is_file():
            raise Incorrect(f"no encuentro el archivo: tu función debe escribir el modelo en la ruta que "
                            f"recibe (path), y no hay nada en {path.name}.")
        try:
            graph = onnx.load(str(path))
            session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as error:  # un archivo que no es ONNX: se explica, no se propaga
            raise Incorrect(f"onnxruntime no puede cargar el archivo que escribes ({type(error).__name__}): "
                            "¿lo escribe torch.onnx.export?") from None
        opset = next((entry.version for entry in graph.opset_import if entry.domain in ("", "ai.onnx")), None)
        if opset != ONNX_OPSET:
            raise Incorrect(f"el archivo usa el opset {opset}; el enunciado pide el {ONNX_OPSET} "
                            "(opset_version=...).")
        inputs = session.get_inputs()
        if len(inputs) != 1 or inputs[0].name != "imagen":
            raise Incorrect(f"la entrada se llama {[i.name for i in inputs]}; debe ser una sola, «imagen» "
                            "(input_names=...).")
        if inputs[0].type != "tensor(float)":
            raise Incorrect(f"la entrada es {inputs[0].type}; debe ser float32, como el lote de ejemplo.")
        shape = inputs[0].shape
        if len(shape) != 4 or list(shape[1:]) != [1, 28, 28]:
            raise Incorrect(f"la entrada tiene forma {shape}; debe ser (lote, 1, 28, 28): canales delante, "
                            "como la red de PyTorch.")
        if isinstance(shape[0], int):
            raise Incorrect(f"el lote está fijo en {shape[0]}: déjalo libre con dynamic_shapes, para que "
                            "la API y la página puedan pasar una imagen o varias.")
        batch = np.random.default_rng(0).random((5, 1, 28, 28), dtype=np.float32)
        (answer,) = session.run(None, {"imagen": batch})
        with torch.no_grad():
            logits = model.eval()(torch.from_numpy(batch))
        if not np.allclose(answer.sum(axis=1), 1, atol=1e-4) or answer.min() < 0:
            raise Incorrect("la salida no son probabilidades (no suman 1): la red da logits; añade "
                            "nn.Softmax(dim=1) al final antes de exportar.")
        difference = float(np.abs(answer - logits.softmax(dim=1).numpy()).max())
        if difference > 1e-4:
            raise Incorrect(f"el modelo ONNX no responde lo mismo que la red (diferencia máxima "
                            f"{difference:.1e} en un lote fijo): exporta model en modo evaluación.")


onnx_export = Exercise(
    "Exportar la red de PyTorch a ONNX",
    _check_onnx_export,
    hint=("torch.onnx.export recorre la red con una entrada de ejemplo y escribe el grafo; antes, "
          "ponle a la red una capa final que convierta sus logits en probabilidades.",
          "nn.Sequential(model, ...) añade esa capa. A torch.onnx.export le pasas la red, una tupla con "
          "un lote de ejemplo (dos imágenes de 1×28×28), la ruta y, por nombre, la versión del opset, el "
          "nombre de la entrada y qué dimensión es libre (la documentación de «Para saber más» tiene un "
          "ejemplo de cada argumento)."),
    solution="""
with_softmax = nn.Sequential(model, nn.Softmax(dim=1)).eval()
torch.onnx.export(with_softmax, (torch.zeros(2, 1, 28, 28),), path, opset_version=18,
                  input_names=["imagen"], output_names=["probabilidades"], dynamo=True,
                  external_data=False, dynamic_shapes=[{0: torch.export.Dim("lote")}], verbose=False)
""",
)

_SAMPLES = [
    {"predicciones": [{"clase": "bota", "probabilidad": 0.9}, {"clase": "sandalia", "probabilidad": 0.07},
                      {"clase": "zapatilla", "probabilidad": 0.03}]},
    {"predicciones": [{"clase": "bolso", "probabilidad": 0.2}, {"clase": "camisa", "probabilidad": 0.7}]},
    {"predicciones": [{"clase": "abrigo", "probabilidad": 0.51}]},
]


def top_class_reference(answer: dict) -> str:
    """Versión del curso de ``top_class``: el nombre de la clase más probable de la respuesta de /predecir.

    Ejemplo:
        >>> top_class_reference({"predicciones": [{"clase": "bolso", "probabilidad": 0.2},
        ...                                       {"clase": "camisa", "probabilidad": 0.7}]})
        'camisa'
    """
    return max(answer["predicciones"], key=lambda prediction: prediction["probabilidad"])["clase"]


def _refuse_reference(function, reference: str) -> None:
    if calls_in(function, [reference]):
        raise Incorrect(f"llamas a {reference}, la versión del curso: escribe tú el código.")


def _check_top_class(function) -> None:
    _refuse_reference(function, "top_class_reference")
    for answer in _SAMPLES:
        expected = top_class_reference(answer)
        result = call_learner_function(function, answer)
        if isinstance(result, dict):
            raise Incorrect("devuelves el diccionario entero de la predicción; devuelve solo su "
                            "nombre, result[\"clase\"].")
        if not isinstance(result, str):
            raise Incorrect(f"para {answer} devuelves {result!r}, no un nombre: de la predicción más "
                            f"probable, devuelve su campo «clase» ({expected!r}), que es un texto.")
        if result != expected:
            first = answer["predicciones"][0]["clase"]
            raise Incorrect(f"para {answer} devuelves {result!r}; la más probable es {expected!r}." + (
                " No des por hecho que la primera de la lista es la mayor: búscala." if result == first else ""))


top_class = Exercise(
    "La clase más probable de la respuesta",
    _check_top_class,
    hint=("La respuesta trae una lista de predicciones, cada una con su clase y su probabilidad: no "
          "des por hecho su orden; busca la de mayor probabilidad y quédate con su nombre.",
          "max(...) acepta key=, una función que dice qué comparar de cada elemento (aquí, su "
          "\"probabilidad\"); del elemento que devuelve, toma la \"clase\"."),
    solution="""
best = max(answer["predicciones"], key=lambda prediction: prediction["probabilidad"])
return best["clase"]
""",
)


def ask_api_reference(url: str, image: bytes, k: int = 3) -> dict:
    """Versión del curso de ``ask_api``: envía ``image`` a ``url``/predecir y devuelve el JSON.

    Ejemplo:
        >>> ask_api_reference(server.url, photo_bytes, k=2)   # doctest: +SKIP
        {'predicciones': [{'clase': 'Bota', 'probabilidad': 0.93}, {'clase': 'Sandalia', ...}]}
    """
    import httpx

    response = httpx.post(url + "/predecir", files={"imagen": ("foto.png", image)}, params={"k": k},
                          timeout=60)
    return response.json()  # las predicciones o, si algo va mal, {"error": "…"}


def _explain_error_answer(answer: dict) -> str:
    """Qué hizo mal una petición, a partir del error JSON que devolvió la API."""
    message = answer["error"]
    if "multipart" in message or "Falta el campo" in message or "«imagen»" in message:
        return (f"la API respondió con un error: «{message}». Envía la foto con "
                "files={\"imagen\": (\"foto.png\", image)}: el campo se llama «imagen» y va como archivo.")
    if "Método" in message:
        return f"la API respondió «{message}». /predecir se usa con httpx.post, no con httpx.get."
    return f"la API respondió con un error: «{message}»."


def _check_ask_api(function, url: str, image: bytes) -> None:
    """``url`` e ``image`` los da el cuaderno con ``ask_api.bind(url=server.url, image=photo_bytes)``."""
    import httpx

    _refuse_reference(function, "ask_api_reference")
    for k in (3, 5):
        expected = ask_api_reference(url, image, k)
        result = call_learner_function(function, url, image, k)
        if isinstance(result, httpx.Response):
            raise Incorrect("devuelves la respuesta HTTP entera; devuelve su contenido ya convertido en "
                            "diccionario, con response.json().")
        if isinstance(result, (str, bytes)):
            raise Incorrect("devuelves el texto del JSON; conviértelo en diccionario con response.json().")
        if isinstance(result, list):
            raise Incorrect("devuelves solo la lista de predicciones; devuelve el diccionario completo "
                            "(response.json()), que es lo que usa top_class.")
        if isinstance(result, dict) and "error" in result:
            raise Incorrect(_explain_error_answer(result))
        if not isinstance(result, dict) or "predicciones" not in result:
            raise Incorrect(f"devuelves {type(result).__name__}; devuelve el diccionario de response.json(), "
                            "con la clave «predicciones».")
        if len(result["predicciones"]) != k:
            raise Incorrect(f"con k={k} recibes {len(result['predicciones'])} predicciones: envía k a la "
                            "API como parámetro, params={\"k\": k}.")
        if result != expected:
            raise Incorrect("tus predicciones no son las de la API para esa foto: envía exactamente los "
                            "bytes de la imagen que recibe la función.")


ask_api = Exercise(
    "Pedir una predicción a la API desde Python",
    _check_ask_api,
    hint=("Subir un archivo a un formulario web es una petición POST con el archivo adjunto, y lo que "
          "vuelve es un texto JSON que hay que pasar a diccionario.",
          "files= recibe un diccionario {campo: (nombre_de_archivo, bytes)} y params= otro {nombre: "
          "valor}; lo que devuelve httpx.post es una respuesta, y el diccionario sale de uno de sus "
          "métodos."),
    solution="""
response = httpx.post(url + "/predecir", files={"imagen": ("foto.png", image)}, params={"k": k})
return response.json()
""",
)

browser_format = Exercise(
    "Qué archivos necesita la página web",
    choice_checker("abcd", {
        "a": "un .keras solo lo abre Keras, con Python y TensorFlow detrás; en el navegador no hay ninguno "
             "de los dos.",
        "b": "un SavedModel es para servir con TensorFlow (TensorFlow Serving, TFLite), no para "
             "ONNX Runtime Web: el navegador no lo sabe ejecutar.",
        "c": "la normalización sí va dentro del grafo, pero los nombres de las razas y el preprocesado "
             "que debe hacer la página están en la ficha, no en el .onnx.",
    }),
    hint=("En el navegador no hay Python: ni Keras ni PyTorch. Y la página tiene que saber más que los "
          "pesos para mostrar un resultado.",
          "Busca qué ejecutó la sección 4 con onnxruntime, sin TensorFlow ni PyTorch, y qué copia "
          "build_page a la carpeta pagina/ junto a cada modelo."),
    solution='browser_format_answer = "d"',
)
