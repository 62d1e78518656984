"""Ejercicios del cuaderno 07a (razas de mascotas con PyTorch).

``check_flatten_features``, ``check_top_k_function``, ``check_loop_values``, ``function_body`` y
``TOP_K_IDEA``
sirven también al cuaderno 07b (Keras).
"""
from __future__ import annotations

import ast
import copy
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.exercises.core import (
    Exercise,
    Expected,
    Incorrect,
    as_count,
    call_learner_function,
    calls_in,
    check_expected,
    learner_code,
    require_answer,
)
from helpers.metrics import top_k_accuracy

__all__ = ["TOP_K_IDEA", "check_flatten_features", "check_loop_values", "check_top_k_function", "evaluate",
           "evaluate_reference", "flatten_features", "function_body", "loss_pairing", "top_k",
           "train_one_epoch", "train_one_epoch_reference"]


def check_flatten_features(features, image_size, blocks: int = 4, channels: int = 128) -> None:
    """Entradas de la primera capa densa tras ``blocks`` bloques conv + max-pooling de 2×2."""
    side = int(image_size) // 2 ** blocks
    check_expected((Expected("flatten_features", channels * side * side, mistakes={
        int(image_size) ** 2 * channels: "cada max-pooling de 2×2 divide el lado entre 2: tras "
                                         f"{blocks} bloques, el lado es {image_size} // {2 ** blocks}.",
        channels * (int(image_size) // 2 ** (blocks - 1)) ** 2: f"cuenta los {blocks} max-pooling, "
                                                                 "no solo los tres primeros.",
        3 * side * side: f"la última convolución tiene {channels} filtros: son {channels} canales, "
                         "no 3.",
        channels * side: "Flatten pone en fila canales × alto × ancho: el lado va al cuadrado.",
    }, otherwise=f"multiplica canales ({channels}) × alto × ancho del mapa final.", convert=as_count),
        features))


def check_top_k_function(function: Callable, to_framework: Callable[[np.ndarray], Any], required: str) -> None:
    """Compara la función del estudiante con ``helpers.metrics.top_k_accuracy`` en datos aleatorios.

    ``to_framework`` convierte los arrays de NumPy al tipo que espera la función (tensores);
    ``required`` es la operación del marco que fija el enunciado (``"torch.topk"``). Rechaza la
    función que llama a ``top_k_accuracy`` en vez de calcular la métrica, y la que da el valor
    correcto sin llamar a ``required`` (con NumPy, por ejemplo), si su código se puede leer.
    """
    require_answer(function, "tu función")
    if callable(function) and calls_in(function, ["top_k_accuracy"]):
        raise Incorrect("llamas a top_k_accuracy, la versión del curso: calcula tú la métrica con "
                        "las operaciones del marco que pide el enunciado.")
    rng = np.random.default_rng(7)
    for k, n_classes in [(1, 5), (3, 37), (5, 10)]:
        logits = rng.normal(size=(64, n_classes)).astype(np.float32)
        labels = rng.integers(0, n_classes, size=64)
        answer = call_learner_function(function, to_framework(logits), to_framework(labels), k)
        try:
            value = float(answer)
        except (TypeError, ValueError):
            raise Incorrect(f"la función debe devolver un número (la fracción de aciertos); "
                            f"devolvió {type(answer).__name__}.") from None
        expected = top_k_accuracy(logits, labels, k)
        if np.isclose(value, expected * len(labels)):
            raise Incorrect("devuelves el número de aciertos; divide entre el número de ejemplos "
                            "para obtener una fracción.")
        if np.isclose(value, top_k_accuracy(logits, labels, 1)) and k > 1:
            raise Incorrect(f"con k={k} devuelves la exactitud top-1: ¿usas k al elegir las clases?")
        if not np.isclose(value, expected, atol=1e-6):
            raise Incorrect(f"con k={k} y {n_classes} clases devuelves {value:.4f}; lo correcto es "
                            f"{expected:.4f}.")
    operation = required.rsplit(".", 1)[-1]
    if learner_code(function) is not None and not calls_in(function, [operation]):
        raise Incorrect(f"el valor es correcto, pero el enunciado pide calcularlo con {required}, la "
                        "operación del marco, sobre los tensores que recibe la función (sin pasarlos "
                        "a NumPy): así se calcula también dentro del entrenamiento, en la GPU.")


def _torch_tensor(array: np.ndarray):
    import torch

    return torch.from_numpy(array)


flatten_features = Exercise(
    "Entradas de la primera capa densa",
    check_flatten_features,
    hint=("Sigue el lado de la imagen por la red: las convoluciones con padding=1 no lo cambian y "
          "cada max-pooling de 2×2 lo divide entre 2. Flatten pone en fila canales × alto × ancho.",
          "Tras 4 bloques el lado es IMG_SIZE entre 2⁴ (división entera, //). Los canales son los "
          "filtros de la última convolución. Multiplica los canales por el lado al cuadrado."),
    solution="flatten_features = 128 * (IMG_SIZE // 16) ** 2",
)


_WRONG_PAIRINGS = {
    "a": "a) no: Softmax + CrossEntropyLoss aplica softmax dos veces (CrossEntropyLoss ya lo hace "
         "por dentro): las salidas quedan entre 0 y 1, la pérdida no puede bajar de un mínimo alto "
         "y la red aprende muy despacio.",
    "c": "c) no: NLLLoss espera log-probabilidades (la salida de log_softmax), no logits: con logits "
         "la pérdida puede hacerse negativa y no significa nada.",
}


def _check_loss_pairing(answer: Any) -> None:
    """Pregunta de respuesta múltiple: las letras correctas son b y d, en cualquier orden."""
    letters = set(answer.replace(",", "").replace(" ", "").lower()) if isinstance(answer, str) else None
    if not letters or not letters <= set("abcd"):
        raise Incorrect(f"responde con las letras de todas las opciones que funcionan, por ejemplo "
                        f"\"ac\"; respondiste {answer!r}.")
    wrong = [_WRONG_PAIRINGS[letter] for letter in sorted(letters & set(_WRONG_PAIRINGS))]
    if wrong:
        raise Incorrect(" ".join(wrong))
    if "b" not in letters:
        raise Incorrect("te falta una combinación que funciona, y es la más habitual en PyTorch: "
                        "vuelve a pensar qué hace CrossEntropyLoss por dentro.")
    if "d" not in letters:
        raise Incorrect("te falta una opción que también funciona, aunque no haga falta: mira en la "
                        "documentación de CrossEntropyLoss qué tipos de objetivo acepta además de "
                        "índices de clase.")


loss_pairing = Exercise(
    "Salida y pérdida en PyTorch",
    _check_loss_pairing,
    hint=("Piensa qué hace nn.CrossEntropyLoss por dentro: ¿aplica ella el softmax o espera que lo "
          "haya aplicado la red? Hay más de una combinación que funciona.",
          "Sigue cada opción por las operaciones: CrossEntropyLoss es log_softmax seguido de "
          "NLLLoss. ¿Qué le pasa a una salida de Softmax si pasa otra vez por softmax? ¿Qué "
          "recibe NLLLoss en c)? Para d), busca en la documentación de CrossEntropyLoss qué tipos "
          "de objetivo acepta."),
    solution='loss_pairing_answer = "bd"',
)


#: Primera pista de top-k, igual en PyTorch y en Keras (07b la importa).
TOP_K_IDEA = ("Un ejemplo acierta en top-k si su etiqueta está entre las k clases con más puntuación; "
              "la exactitud top-k es la fracción de ejemplos que aciertan (un número entre 0 y 1).")


def _check_top_k(function) -> None:
    check_top_k_function(function, _torch_tensor, "torch.topk")


top_k = Exercise(
    "Exactitud top-k con torch.topk",
    _check_top_k,
    hint=(TOP_K_IDEA,
          "torch.topk devuelve, por fila, las k puntuaciones más altas y sus posiciones (las "
          "clases); ¿en qué dimensión están las clases? Para comparar cada fila de clases con su "
          "etiqueta, la etiqueta tiene que tener forma de columna; busca luego una reducción que "
          "diga si alguna de las k coincide. La media necesita números, no booleanos."),
    solution="""
top = torch.topk(logits, k, dim=1).indices
hits = (top == labels.view(-1, 1)).any(dim=1)
return hits.float().mean().item()
""",
)


# --- El bucle de entrenamiento (ejercicios 3 y 4) ------------------------------------------


def function_body(function: Callable) -> str:
    """Código del cuerpo de ``function``, la solución que ve el estudiante.

    Se quitan la docstring y las importaciones del principio (el cuaderno ya las hizo).

    Ejemplo:
        >>> function_body(evaluate_reference).splitlines()[0]
        'model.eval()'
    """
    source = textwrap.dedent(inspect.getsource(function))
    body = ast.parse(source).body[0].body
    while isinstance(body[0], (ast.Import, ast.ImportFrom)) or (
            isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)):
        body = body[1:]
    lines = source.splitlines()[body[0].lineno - 1:body[-1].end_lineno]
    return textwrap.dedent("\n".join(lines))


def train_one_epoch_reference(model, loader, loss_fn, optimizer, device):
    """Versión del curso de ``train_one_epoch``: una época; devuelve la pérdida media por imagen."""
    model.train()
    total = 0.0
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        loss = loss_fn(model(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(targets)
    return total / len(loader.dataset)


def evaluate_reference(model, loader, loss_fn, device):
    """Versión del curso de ``evaluate``: pérdida media y exactitud, sin *dropout* ni gradientes."""
    import torch

    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            logits = model(inputs)
            total += loss_fn(logits, targets).item() * len(targets)
            correct += (logits.argmax(dim=1) == targets).sum().item()
    return total / len(loader.dataset), correct / len(loader.dataset)


#: Tamaño de los datos de la comprobación: lotes de 4, 4 y 2 (el último, más pequeño).
_N, _BATCH, _FEATURES, _CLASSES = 10, 4, 4, 3


def check_loop_values(loss: Any, batches: list[tuple[float, int]], accuracy: Any = None,
                      correct: int | None = None) -> None:
    """Compara la pérdida (y la exactitud) del estudiante con las del bucle de referencia.

    ``batches`` son los pares ``(pérdida media del lote, tamaño del lote)`` que vio la pérdida;
    al evaluar, ``correct`` es el número de aciertos de la referencia. Reconoce los promedios
    mal hechos más frecuentes.
    """
    batch_losses, sizes = (np.array(column, dtype=float) for column in zip(*batches, strict=True))
    expected = {"loss": float((batch_losses * sizes).sum() / sizes.sum())}
    if correct is not None:
        expected.update(correct=correct, accuracy=correct / sizes.sum())
    values = {"loss": loss} if accuracy is None else {"loss": loss, "accuracy": accuracy}
    for name, value in values.items():
        if _is_tensor(value):
            what = "pérdida" if name == "loss" else "exactitud"
            if type(value).__module__.startswith("tensorflow"):
                raise Incorrect(f"la {what} que devuelves es un tensor de TensorFlow; devuelve un número "
                                "de Python con float(…) (los tensores de TensorFlow no tienen .item()).")
            raise Incorrect(f"la {what} que devuelves es un tensor; devuelve un número de Python con "
                            ".item(). (Si sumas los tensores de pérdida, PyTorch guarda el grafo de cada "
                            "lote y la memoria crece).")
        try:
            values[name] = float(value)
        except (TypeError, ValueError):
            raise Incorrect(f"se esperaba un número y devolviste {type(value).__name__}.") from None
    weighted = "pesando cada lote por su tamaño"
    pairs = [(Expected("pérdida media", expected["loss"], atol=1e-5, mistakes={
        float(batch_losses.mean()): "haces la media de las pérdidas de cada lote, pero el último "
                                    "lote es más pequeño: multiplica cada pérdida por el tamaño de "
                                    "su lote y divide entre el número total de ejemplos.",
        float(batch_losses.sum()): f"devuelves la suma de las pérdidas de los lotes; divide entre el "
                                   f"número de ejemplos ({weighted}).",
        float(batch_losses[-1]): "devuelves la pérdida del último lote; acumula la de todos.",
        float(batch_losses.sum() / sizes.sum()): "sumas la pérdida media de cada lote y divides entre "
                                                 "el número de ejemplos: multiplica antes cada "
                                                 "pérdida por el tamaño de su lote.",
        float((batch_losses * sizes).sum()): "devuelves la suma de las pérdidas; divide entre el "
                                             "número de ejemplos.",
    }, otherwise=f"lo correcto es {expected['loss']:.4f}."), values["loss"])]
    if accuracy is not None:
        pairs.append((Expected("exactitud", expected["accuracy"], atol=1e-6, mistakes={
            float(expected["correct"]): "devuelves el número de aciertos; la exactitud es la "
                                        "fracción: divide entre el número de ejemplos.",
        }, otherwise=f"lo correcto es {expected['accuracy']:.4f}. "
                     "Cuenta los aciertos de todos los lotes (argmax de los logits igual a la "
                     "etiqueta) y divide al final entre el total."), values["accuracy"]))
    check_expected(*pairs)


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.startswith(("torch", "tensorflow"))


def _torch_probe():
    """Red, datos y pérdida diminutos que anotan cómo los usa la función del estudiante."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset
    from torch.utils.data._utils.collate import default_collate

    class NotMoved(torch.Tensor):
        """Tensor que aún no pasó por ``.to(device)``; al moverlo se vuelve un tensor normal."""

        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            result = super().__torch_function__(func, types, args, kwargs or {})
            moves = func in (torch.Tensor.to, torch.Tensor.cpu, torch.Tensor.cuda)
            if moves and isinstance(result, torch.Tensor):
                return result.as_subclass(torch.Tensor)
            return result

    class Probe(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(_FEATURES, _CLASSES)
            self.calls = []

        def forward(self, inputs):
            self.calls.append({"training": self.training, "grad": torch.is_grad_enabled(),
                               "moved": not isinstance(inputs, NotMoved)})
            return self.layer(inputs.as_subclass(torch.Tensor))

    class ProbeLoss(nn.Module):
        def __init__(self):
            super().__init__()
            self.moved, self.batches = [], []

        def forward(self, logits, targets):
            self.moved.append(not isinstance(targets, NotMoved))
            loss = nn.functional.cross_entropy(logits.as_subclass(torch.Tensor),
                                               targets.as_subclass(torch.Tensor))
            self.batches.append((loss.item(), len(targets)))
            return loss

    generator = torch.Generator().manual_seed(3)
    data = TensorDataset(torch.randn(_N, _FEATURES, generator=generator) * 2,
                         torch.randint(0, _CLASSES, (_N,), generator=generator))
    loader = DataLoader(data, batch_size=_BATCH,
                        collate_fn=lambda batch: [t.as_subclass(NotMoved) for t in default_collate(batch)])
    torch.manual_seed(0)
    return Probe(), loader, ProbeLoss


def _check_calls(calls: list[dict], loss_moved: list[bool], *, training: bool) -> None:
    if not calls:
        raise Incorrect("la función no llama a la red: recorre el loader y calcula model(inputs) en "
                        "cada lote.")
    if any(call["training"] != training for call in calls):
        raise Incorrect("llama a model.train() al empezar: activa el dropout (y la normalización por "
                        "lotes en modo entrenamiento)." if training else
                        "llama a model.eval() al empezar: en evaluación el dropout debe estar apagado.")
    if not training and any(call["grad"] for call in calls):
        raise Incorrect("evalúa dentro de with torch.no_grad(): sin él, PyTorch guarda lo necesario "
                        "para calcular gradientes, que no se van a usar (más memoria y más tiempo).")
    if not all(call["moved"] for call in calls):
        raise Incorrect("las imágenes no pasan por .to(device): en un equipo con GPU la red estaría en "
                        "la GPU y los datos en la CPU, y PyTorch daría un error.")
    if not all(loss_moved):
        raise Incorrect("las etiquetas no pasan por .to(device): llévalas al mismo dispositivo que "
                        "los logits antes de calcular la pérdida.")


def _check_train_one_epoch(function) -> None:
    import torch

    model, loader, make_loss = _torch_probe()
    reference = copy.deepcopy(model)
    start = [p.detach().clone() for p in model.parameters()]
    loss_fn = make_loss()
    model.eval()                   # para notar si la función olvida model.train()
    answer = call_learner_function(function, model, loader, loss_fn,
                                   torch.optim.SGD(model.parameters(), lr=0.5), torch.device("cpu"))
    _check_calls(model.calls, loss_fn.moved, training=True)
    expected_fn = make_loss()
    train_one_epoch_reference(reference, loader, expected_fn, torch.optim.SGD(reference.parameters(), lr=0.5),
                              torch.device("cpu"))
    learned = list(model.parameters())
    if all(torch.equal(a, b) for a, b in zip(learned, start, strict=True)):
        raise Incorrect("los pesos no cambian: en cada lote hace falta loss.backward() (calcula los "
                        "gradientes) y optimizer.step() (mueve los pesos).")
    if not all(torch.allclose(a, b, atol=1e-5) for a, b in zip(learned, reference.parameters(), strict=True)):
        accumulated = copy.deepcopy(reference)
        accumulated.load_state_dict(dict(zip(reference.state_dict(), start, strict=True)))
        _train_without_zero_grad(accumulated, loader)
        if all(torch.allclose(a, b, atol=1e-5)
               for a, b in zip(learned, accumulated.parameters(), strict=True)):
            raise Incorrect("falta optimizer.zero_grad(): PyTorch suma los gradientes nuevos a los "
                            "del lote anterior, y cada paso usa una mezcla de todos los lotes vistos.")
        raise Incorrect("los pesos no acaban como con el bucle de referencia. En cada lote: "
                        "logits y pérdida, optimizer.zero_grad(), loss.backward() y optimizer.step(), "
                        "en ese orden y una vez por lote.")
    check_loop_values(answer, expected_fn.batches)


def _train_without_zero_grad(model, loader) -> None:
    """El error típico: el mismo bucle sin ``zero_grad``."""
    import torch

    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for inputs, targets in loader:
        inputs, targets = inputs.to("cpu"), targets.to("cpu")
        torch.nn.functional.cross_entropy(model(inputs), targets).backward()
        optimizer.step()


def _check_evaluate(function) -> None:
    import torch

    model, loader, make_loss = _torch_probe()
    start = [p.detach().clone() for p in model.parameters()]
    loss_fn = make_loss()
    model.train()                  # para notar si la función olvida model.eval()
    answer = call_learner_function(function, model, loader, loss_fn, torch.device("cpu"))
    _check_calls(model.calls, loss_fn.moved, training=False)
    if not all(torch.equal(a, b) for a, b in zip(model.parameters(), start, strict=True)):
        raise Incorrect("evaluate ha cambiado los pesos: al evaluar no se llama a backward ni a step.")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Incorrect("evaluate debe devolver dos números: (pérdida media, exactitud).")
    expected_fn = make_loss()
    _, accuracy = evaluate_reference(model, loader, expected_fn, torch.device("cpu"))
    check_loop_values(answer[0], expected_fn.batches, accuracy=answer[1], correct=round(accuracy * _N))


train_one_epoch = Exercise(
    "Una época de entrenamiento en PyTorch",
    _check_train_one_epoch,
    hint=("Una época recorre el loader una vez. Antes del bucle, la red en modo entrenamiento; en "
          "cada lote: salida, pérdida, borrar los gradientes del lote anterior, calcular los "
          "nuevos y dar un paso del optimizador. La media pesa cada lote por su tamaño (el último "
          "puede ser más pequeño).",
          "Vuelve al bucle de la recta del apartado «PyTorch en cinco minutos»: el paso es el "
          "mismo, lote a lote. Lo nuevo: el modo de la red antes del bucle, llevar cada lote al "
          "dispositivo y acumular la pérdida como número de Python (no como tensor), ponderada por "
          "el tamaño del lote; el divisor final es el número de imágenes del conjunto."),
    solution=function_body(train_one_epoch_reference),
)

evaluate = Exercise(
    "Evaluar en PyTorch",
    _check_evaluate,
    hint=("Evaluar es recorrer los datos sin aprender: la red en modo evaluación (sin dropout), sin "
          "guardar lo necesario para los gradientes y sin optimizador. Acumula la pérdida, ponderada "
          "por el tamaño de cada lote, y el número de aciertos.",
          "Empieza con model.eval() y pon el bucle dentro de un bloque with torch.no_grad(). Un "
          "acierto es que la clase con el logit mayor (argmax en dim=1) sea la etiqueta: compara, "
          "suma los True y pasa la suma a número con .item(). Divide la pérdida y los aciertos "
          "entre len(loader.dataset) al final."),
    solution=function_body(evaluate_reference),
)
