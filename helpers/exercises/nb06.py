"""Ejercicios del cuaderno 06 (perros y gatos desde carpetas)."""
from __future__ import annotations

from numbers import Real
from pathlib import Path

import numpy as np

from helpers.config import fast_mode
from helpers.exercises.core import Exercise, Incorrect, as_count, call_learner_function, training_history

__all__ = ["augmentation", "augmentation_reference", "first_layer_params", "own_cnn",
           "predict_photo", "predict_photo_reference"]


def augmentation_reference():
    """Versión del curso del aumento de datos: reflejo horizontal, giro de ±5 % de vuelta y zoom.

    Ejemplo:
        >>> [type(layer).__name__ for layer in augmentation_reference().layers]
        ['RandomFlip', 'RandomRotation', 'RandomZoom']
    """
    import keras
    from keras import layers

    return keras.Sequential(
        [layers.RandomFlip("horizontal"), layers.RandomRotation(0.05), layers.RandomZoom(0.2)],
        name="augmentation",
    )


def _factor(value) -> float:
    """Primer número de un factor de Keras (0.2 o (-0.2, 0.2))."""
    if isinstance(value, (tuple, list)):
        return max(abs(float(v)) for v in value)
    return abs(float(value))


def _check_augmentation(pipeline) -> None:
    import keras

    if not isinstance(pipeline, keras.Sequential):
        raise Incorrect(f"augmentation debe ser un keras.Sequential con tres capas; es "
                        f"{type(pipeline).__name__}.")
    kinds = {type(layer).__name__: layer for layer in pipeline.layers}
    missing = [name for name in ("RandomFlip", "RandomRotation", "RandomZoom") if name not in kinds]
    if missing:
        raise Incorrect(f"falta(n) {', '.join(missing)} en augmentation.")
    flip = kinds["RandomFlip"]
    if flip.mode != "horizontal":
        raise Incorrect(f"RandomFlip usa mode={flip.mode!r}: refleja también en vertical, y un "
                        "gato boca abajo no es una foto plausible. Usa RandomFlip(\"horizontal\").")
    rotation = _factor(kinds["RandomRotation"].factor)
    if not np.isclose(rotation, 0.05):
        explanation = (" El factor es una fracción de vuelta completa: 0.05 son ±18°; "
                       f"{rotation} serían ±{rotation * 360:.0f}°.")
        raise Incorrect(f"RandomRotation debe usar 0.05, no {rotation}." + explanation)
    zoom = _factor(kinds["RandomZoom"].height_factor)
    if not np.isclose(zoom, 0.2):
        raise Incorrect(f"RandomZoom debe usar 0.2 (hasta un 20 %), no {zoom}.")


augmentation = Exercise(
    "Aumento de datos plausible",
    _check_augmentation,
    hint="keras.Sequential([layers.RandomFlip(\"horizontal\"), layers.RandomRotation(…), "
         "layers.RandomZoom(…)]). Sin \"horizontal\", RandomFlip también refleja en vertical.",
    solution="""
augmentation = keras.Sequential(
    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.05), layers.RandomZoom(0.2)],
    name="augmentation",
)
""",
)


def _check_first_layer_params(dense_params, conv_params, image_size) -> None:
    dense = as_count(dense_params, "dense_first_layer_params")
    conv = as_count(conv_params, "conv_first_layer_params")
    n = int(image_size)
    problems = []
    expected_dense = (n * n * 3 + 1) * 128
    if dense != expected_dense:
        known = {n * n * 3 * 128: "faltan los 128 sesgos.",
                 (n * n + 1) * 128: "las fotos son en color: cada píxel aporta 3 entradas (R, G, B).",
                 (n * 3 + 1) * 128: "Flatten pone en fila todos los píxeles: alto × ancho × 3.",
                 n * n * 3 + 1: "eso es una sola neurona; la capa tiene 128."}
        problems.append(f"densa: {dense} no es correcto; " + known.get(
            dense, f"cada una de las 128 neuronas tiene un peso por entrada ({n}·{n}·3) y un sesgo."))
    expected_conv = (3 * 3 * 3 + 1) * 16
    if conv != expected_conv:
        known = {3 * 3 * 3 * 16: "faltan los 16 sesgos (uno por filtro).",
                 (3 * 3 + 1) * 16: "cada filtro mira los 3 canales: 3·3·3 pesos.",
                 (n * n * 3 + 1) * 16: "un filtro no tiene un peso por píxel de la foto: comparte "
                                       "sus 3·3·3 pesos en todas las posiciones."}
        problems.append(f"convolución: {conv} no es correcto; " + known.get(
            conv, "cada uno de los 16 filtros tiene 3·3·3 pesos y un sesgo."))
    if problems:
        raise Incorrect("\n".join(problems))


first_layer_params = Exercise(
    "Parámetros de la primera capa: densa frente a convolucional",
    _check_first_layer_params,
    hint="Dense: (entradas + 1)·neuronas, con entradas = alto·ancho·canales. Conv2D: "
         "(k·k·C_in + 1)·filtros: no depende del tamaño de la foto.",
    solution="""
dense_first_layer_params = (COMPARE_SIZE * COMPARE_SIZE * 3 + 1) * 128
conv_first_layer_params = (3 * 3 * 3 + 1) * 16
""",
)


def predict_photo_reference(model, path: str | Path, image_size: int) -> float:
    """Versión del curso de ``predict_photo``: probabilidad de «perro» de la foto ``path``.

    Ejemplo:
        >>> p = predict_photo_reference(model, "mi_perro.jpg", 128)  # doctest: +SKIP
    """
    import keras

    image = keras.utils.load_img(path, target_size=(image_size, image_size), interpolation="bilinear")
    batch = keras.utils.img_to_array(image)[np.newaxis]
    return float(model.predict(batch, verbose=0)[0, 0])


class _RecordingModel:
    """Modelo de prueba: guarda lo que recibe y devuelve el brillo medio como «probabilidad»."""

    def __init__(self) -> None:
        self.received = None

    def predict(self, x, verbose=0, **kwargs):
        self.received = np.asarray(x)
        if self.received.ndim != 4:  # sin eje de lote: el comprobador lo explica después
            return np.zeros((1, 1))
        return np.asarray(self.received, dtype=np.float64).mean(axis=(1, 2, 3)).reshape(-1, 1) / 255


def _check_predict_photo(function) -> None:
    import tempfile

    from PIL import Image

    rng = np.random.default_rng(7)
    photo = (rng.random((90, 140, 3)) * 255).astype(np.uint8)
    photo[:, :70, 0] = 250  # la mitad izquierda, rojiza
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "foto.jpg"
        Image.fromarray(photo).save(path, quality=95)
        model = _RecordingModel()
        got = call_learner_function(function, model, path, 40)
        expected = predict_photo_reference(_RecordingModel(), path, 40)
    batch = model.received
    if batch is None:
        raise Incorrect("tu función no llama a model.predict.")
    if batch.ndim == 3:
        raise Incorrect(f"model.predict recibió forma {batch.shape}: falta el eje del lote. "
                        "Usa [np.newaxis] para obtener (1, alto, ancho, 3).")
    if batch.shape != (1, 40, 40, 3):
        raise Incorrect(f"model.predict recibió forma {batch.shape}; con image_size=40 se esperaba "
                        "(1, 40, 40, 3). ¿Pasaste target_size=(image_size, image_size)?")
    if float(batch.max()) <= 1.0:
        raise Incorrect("la foto llega escalada a [0, 1], pero la red ya tiene una capa "
                        "Rescaling(1/255): pásale los píxeles en 0–255, como en el entrenamiento.")
    if isinstance(got, np.ndarray) and got.size == 1:
        raise Incorrect("devuelves un array; devuelve un número: float(model.predict(...)[0, 0]).")
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (Real, np.number)):
        raise Incorrect(f"devolviste {got!r}; se espera la probabilidad de «perro», un float.")
    if not np.isclose(float(got), expected, atol=0.03):
        raise Incorrect(f"devolviste {float(got):.3f}, pero la salida del modelo para esa foto es "
                        f"{expected:.3f}. Devuelve model.predict(lote)[0, 0].")


predict_photo = Exercise(
    "Clasificar una foto del disco",
    _check_predict_photo,
    hint="keras.utils.load_img(path, target_size=(image_size, image_size), "
         "interpolation=\"bilinear\") → keras.utils.img_to_array(...) → [np.newaxis] → "
         "model.predict(...)[0, 0].",
    solution="""
image = keras.utils.load_img(path, target_size=(image_size, image_size), interpolation="bilinear")
batch = keras.utils.img_to_array(image)[np.newaxis]
return float(model.predict(batch, verbose=0)[0, 0])
""",
)


def _all_layers(model) -> list:
    """Capas de ``model``, con las de los submodelos (bloques ``Sequential``) desplegadas."""
    found = []
    for layer in model.layers:
        found += _all_layers(layer) if hasattr(layer, "layers") else [layer]
    return found


def _check_own_cnn(model, history, train_ds, val_ds, target) -> None:
    import keras

    if not isinstance(model, keras.Model):
        raise Incorrect(f"my_model debe ser un modelo de Keras; es {type(model).__name__}.")
    curves = training_history(history, "my_history")
    if history.model is not model:
        raise Incorrect("my_history no es la historia de my_model: guarda lo que devuelve "
                        "my_model.fit(...).")
    if not any(isinstance(layer, keras.layers.Conv2D) for layer in _all_layers(model)):
        raise Incorrect("tu red no tiene ninguna Conv2D: el ejercicio pide una red convolucional.")
    if tuple(model.output_shape) != (None, 1):
        raise Incorrect(f"la salida de tu red tiene forma {tuple(model.output_shape)}; con dos "
                        "clases y etiquetas 0/1 basta una neurona sigmoide: Dense(1, "
                        "activation=\"sigmoid\").")
    steps, expected_steps = history.params.get("steps"), int(train_ds.cardinality())
    if expected_steps > 0 and steps != expected_steps:
        raise Incorrect(f"cada época de tu entrenamiento tuvo {steps} lotes y train_ds tiene "
                        f"{expected_steps}: entrena solo con train_ds; validación y prueba no se "
                        "usan para ajustar pesos.")
    epochs = len(curves["loss"])
    if steps and int(model.optimizer.iterations) != epochs * steps:
        raise Incorrect(f"my_model ha dado {int(model.optimizer.iterations)} pasos, pero "
                        f"my_history solo recoge {epochs} épocas de {steps} lotes: ¿ejecutaste "
                        "fit más de una vez? Vuelve a crear el modelo y entrénalo con una sola "
                        "llamada a fit, para que la historia cuente todo su entrenamiento.")
    measured = model.evaluate(val_ds, verbose=0, return_dict=True)
    if not any(abs(measured.get("accuracy", -1) - accuracy) <= 1e-3
               and abs(measured["loss"] - loss) <= 1e-3 * max(1.0, loss)
               for accuracy, loss in zip(curves["val_accuracy"], curves["val_loss"])):
        raise Incorrect("la exactitud de validación de my_history no es la de my_model en val_ds: "
                        "¿validaste con otro conjunto (test_ds, por ejemplo)? Entrena con "
                        "validation_data=val_ds; la prueba se usa una sola vez, al final.")
    best = max(curves["val_accuracy"])
    if not fast_mode() and best <= target:
        raise Incorrect(f"tu mejor exactitud de validación es {best:.1%} y el objetivo es superar "
                        f"{target:.1%}. Ideas: normalización por lotes tras cada convolución, "
                        "aumento de datos, más filtros o un bloque más, GlobalAveragePooling2D "
                        "en lugar de Flatten.")


own_cnn = Exercise(
    "Tu propia CNN de perros y gatos",
    _check_own_cnn,
    hint="Parte de make_model(small_cnn(...), COMPARE_SIZE, augment=True) y añade "
         "BatchNormalization entre cada Conv2D (use_bias=False) y su ReLU, un cuarto bloque y "
         "GlobalAveragePooling2D + Dropout(0.5) antes de Dense(1, activation=\"sigmoid\"). "
         "La historia: my_history = train(my_model, train_ds, val_ds, COMPARE_EPOCHS)[0].",
    solution="""
my_model = keras.Sequential([keras.Input((COMPARE_SIZE, COMPARE_SIZE, 3)),
                             ex.augmentation_reference(), layers.Rescaling(1 / 255)])
for filters in (32, 64, 128, 256):
    my_model.add(layers.Conv2D(filters, 3, padding="same", use_bias=False))
    my_model.add(layers.BatchNormalization())
    my_model.add(layers.ReLU())
    my_model.add(layers.MaxPooling2D())
my_model.add(layers.GlobalAveragePooling2D())
my_model.add(layers.Dropout(0.5))
my_model.add(layers.Dense(1, activation="sigmoid"))
my_history = train(my_model, train_ds, val_ds, COMPARE_EPOCHS)[0]
""",
    success="¡Bien hecho! Tu CNN entrenó solo con train_ds y su historia es la de val_ds. En modo "
            "completo la comprobación exige además superar el objetivo; en modo rápido (pocas "
            "fotos y una época) solo comprueba la mecánica.",
)
