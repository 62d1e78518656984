"""Figuras del curso: imágenes, curvas de entrenamiento, filtros, activaciones y errores por clase.

Cómo se muestran en Jupyter: cada función crea su figura con pyplot y la devuelve. La
figura aparece **una sola vez**, tanto si la llamada es la última línea de la celda
(``show_images(x)``) como si está en medio o se asigna (``fig = show_images(x)``, útil para
``fig.savefig("figura.png")``). Fuera de Jupyter, usa ``plt.show()`` o ``fig.savefig(...)``.
Las cuentas (matriz de confusión, exactitud por clase) están en ``helpers.metrics``.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from helpers._display import CourseFigure
from helpers.images import load_image
from helpers.metrics import _as_class_indices, _to_numpy, confused_pairs, confusion_matrix

__all__ = [
    "compare_histories",
    "plot_confusion_matrix",
    "plot_history",
    "plot_per_class_accuracy",
    "plot_throughput",
    "show_confused_pairs",
    "show_feature_maps",
    "show_heatmaps",
    "show_images",
    "show_kernels",
]

_METRIC_NAMES = {
    "loss": "pérdida",
    "accuracy": "exactitud",
    "acc": "exactitud",
    "mae": "error absoluto medio",
    "mse": "error cuadrático medio",
    "precision": "precisión",
    "recall": "exhaustividad",
    "auc": "AUC",
}


def _metric_name(metric: str) -> str:
    """Nombre en castellano de una métrica del historial: ``"top3"`` (``name`` de Keras) → ``"exactitud top-3"``."""
    match = re.fullmatch(r"top_?(\d+)", metric)
    return f"exactitud top-{match[1]}" if match else _METRIC_NAMES.get(metric, metric)


def _grid(n: int, ncols: int, cell: tuple[float, float], figsize: tuple[float, float] | None):
    """Crea una figura con ``n`` ejes en ``ncols`` columnas (sin ejes sobrantes)."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    figsize = figsize or (cell[0] * ncols, cell[1] * nrows)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, FigureClass=CourseFigure)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.remove()
    return fig, list(axes[:n])


def _check_titles(titles: Sequence[str] | None, n: int, what: str) -> list[str] | None:
    """Comprueba que hay un título por elemento."""
    if titles is None:
        return None
    titles = [str(title) for title in titles]
    if len(titles) != n:
        raise ValueError(f"Hay {n} {what} pero {len(titles)} títulos: deben coincidir.")
    return titles


def _prepare_image(img: Any, index: int) -> tuple[np.ndarray, bool]:
    """Deja una imagen lista para ``imshow`` y dice si es de un solo canal."""
    img = _to_numpy(img)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    if img.ndim == 3 and img.shape[0] in (1, 3) and img.shape[2] not in (3, 4):
        raise ValueError(
            f"La imagen {index} tiene forma {img.shape}, con los canales delante (formato de "
            "PyTorch). "
            "Pásala como (H, W, C): img.permute(1, 2, 0) en PyTorch o np.moveaxis(img, 0, -1)."
        )
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (3, 4)):
        raise ValueError(
            f"La imagen {index} tiene forma {img.shape}; se espera (H, W), (H, W, 1) o (H, W, 3)."
        )
    if np.issubdtype(img.dtype, np.bool_):
        img = img.astype(np.float64)
    if not (np.issubdtype(img.dtype, np.integer) or np.issubdtype(img.dtype, np.floating)):
        raise ValueError(f"La imagen {index} es de tipo {img.dtype}; se espera uint8 o float.")
    low, high = (float(img.min()), float(img.max())) if img.size else (0.0, 0.0)
    if np.issubdtype(img.dtype, np.integer) or high > 1:
        if low < 0 or high > 255:
            raise ValueError(
                f"La imagen {index} tiene valores entre {low:.3g} y {high:.3g}; show_images espera "
                "uint8 (0–255) o float en [0, 1]. Si la normalizaste, deshaz la normalización "
                "antes de mostrarla (o usa show_feature_maps para activaciones)."
            )
        img = img.astype(np.float64) / 255  # float en 0–255 (p. ej., image_dataset_from_directory)
    elif low < 0:
        raise ValueError(
            f"La imagen {index} tiene valores negativos (mínimo {low:.3g}); show_images espera "
            "uint8 (0–255) o float en [0, 1]. Deshaz la normalización antes de mostrarla."
        )
    return img, img.ndim == 2


def show_images(
    images: Any,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    cmap: str | None = None,
    figsize: tuple[float, float] | None = None,
    *,
    labels: Any = None,
    class_names: Sequence[str] | None = None,
) -> CourseFigure:
    """Muestra imágenes en una rejilla, con un título (p. ej., su clase) sobre cada una.

    Acepta ``uint8`` (0–255) y float en [0, 1] (un float con máximo > 1 se interpreta en 0–255,
    como lo da ``image_dataset_from_directory``). Las imágenes de un canal se muestran en gris.

    Parámetros:
        images: lista de imágenes (H, W), (H, W, 1) o (H, W, 3); un lote (N, H, W, C) o (N, H, W);
            o una sola imagen (H, W) o (H, W, 3).
        titles: un título por imagen.
        ncols: columnas de la rejilla (por defecto, hasta 5).
        cmap: mapa de color para las imágenes de un canal (por defecto ``"gray"``).
        figsize: tamaño de la figura en pulgadas (ancho, alto); por defecto, según la rejilla.
        labels: alternativa a ``titles``: clases (enteros u one-hot) que se traducen con
            ``class_names``.
        class_names: nombres de las clases, en el orden de sus índices.

    Devuelve:
        La figura (se muestra una sola vez en Jupyter).

    Ejemplo:
        >>> show_images(x_train[:8], labels=y_train[:8], class_names=class_names)  # doctest: +SKIP
    """
    if isinstance(images, np.ndarray) or hasattr(images, "detach") or hasattr(images, "numpy"):
        array = _to_numpy(images)
        single = array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (1, 3, 4))
        images = [array] if single else list(array)
    else:
        images = list(images)
    if not images:
        raise ValueError("show_images necesita al menos una imagen.")
    if labels is not None:
        if titles is not None:
            raise ValueError("Pasa titles o labels con class_names, pero no ambos.")
        if class_names is None:
            raise ValueError(
                "Con labels pasa también class_names, para ver nombres de clase y no números."
            )
        indices = _as_class_indices(labels, "labels")
        if indices.size and (indices.min() < 0 or indices.max() >= len(class_names)):
            raise ValueError(
                f"Hay etiquetas fuera de rango: class_names tiene {len(class_names)} nombres "
                f"(índices 0–{len(class_names) - 1}) y labels va de {indices.min()} a "
                f"{indices.max()}."
            )
        titles = [class_names[i] for i in indices]
    titles = _check_titles(titles, len(images), "imágenes")
    lines = max((title.count("\n") + 1 for title in titles), default=0) if titles else 0
    fig, axes = _grid(len(images), ncols or 5, (2.2, 2.2 + 0.25 * lines), figsize)
    for i, (ax, img) in enumerate(zip(axes, images)):
        img, gray = _prepare_image(img, i)
        if gray:
            ax.imshow(img, cmap=cmap or "gray", vmin=0, vmax=1)
        else:
            ax.imshow(img)
        if titles:
            ax.set_title(titles[i], fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    return fig


def _style_epoch_axes(ax, metric_label: str) -> None:
    """Título, ejes (épocas enteras), rejilla y leyenda de una gráfica «métrica por época»."""
    ax.set_title(f"{metric_label[0].upper()}{metric_label[1:]} por época")
    ax.set_xlabel("época")
    ax.set_ylabel(metric_label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend()


def plot_history(history: Any, metrics: Sequence[str] = ("loss", "accuracy")) -> CourseFigure:
    """Dibuja las curvas de entrenamiento y validación por época.

    Parámetros:
        history: el objeto ``History`` que devuelve ``model.fit`` de Keras, o un diccionario
            como ``{"loss": [...], "val_loss": [...], "accuracy": [...], "val_accuracy": [...]}``
            (el que produce el bucle de entrenamiento de PyTorch del curso).
        metrics: métricas que se dibujan, una gráfica por métrica; las que falten se omiten.

    Devuelve:
        La figura (se muestra una sola vez en Jupyter).

    Ejemplo:
        >>> fig = plot_history({"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]})
        >>> [ax.get_title() for ax in fig.axes]
        ['Pérdida por época']
        >>> plt.close(fig)
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    log = getattr(history, "history", history)
    if not isinstance(log, Mapping):
        raise ValueError(
            "plot_history espera el History que devuelve model.fit o un diccionario "
            f"{{'loss': [...], 'val_loss': [...]}}; recibí {type(history).__name__}."
        )
    present = [m for m in metrics if m in log or f"val_{m}" in log]
    if not present:
        raise ValueError(
            f"El historial no tiene ninguna de las métricas {list(metrics)}; "
            f"contiene: {sorted(log)}. Elige metrics entre ellas."
        )
    fig, axes = _grid(len(present), len(present), (5.0, 3.6), None)
    for ax, metric in zip(axes, present):
        name = _metric_name(metric)
        for key, label in ((metric, "entrenamiento"), (f"val_{metric}", "validación")):
            if key in log:
                values = np.asarray([float(v) for v in log[key]])
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, values, marker="o", markersize=3, label=label)
        _style_epoch_axes(ax, name)
    fig.tight_layout()
    return fig


def compare_histories(histories: Mapping[str, Any], metric: str = "val_accuracy") -> CourseFigure:
    """Superpone una métrica de varios entrenamientos en una sola gráfica, para compararlos.

    Parámetros:
        histories: diccionario nombre → ``History`` de Keras (o diccionario de listas).
        metric: métrica que se dibuja, p. ej. ``"val_accuracy"`` o ``"val_loss"``.

    Devuelve:
        La figura (se muestra una sola vez en Jupyter).

    Ejemplo:
        >>> fig = compare_histories({"base": {"val_accuracy": [0.5, 0.6]},
        ...                          "aumento": {"val_accuracy": [0.4, 0.7]}})
        >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        ['base', 'aumento']
        >>> plt.close(fig)
    """
    if not histories:
        raise ValueError("compare_histories necesita al menos un entrenamiento.")
    fig, ax = plt.subplots(figsize=(7, 4), FigureClass=CourseFigure)
    for name, history in histories.items():
        log = getattr(history, "history", history)
        if metric not in log:
            raise ValueError(f"El historial '{name}' no tiene la métrica '{metric}'; contiene: "
                             f"{sorted(log)}.")
        values = [float(v) for v in log[metric]]
        ax.plot(range(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    base = metric.removeprefix("val_")
    label = _metric_name(base) + (" (validación)" if metric.startswith("val_") else "")
    _style_epoch_axes(ax, label)
    fig.tight_layout()
    return fig


def plot_throughput(speeds: Mapping[str, Mapping[str, float]], peak_gflops: float) -> CourseFigure:
    """Dibuja imágenes/s y GFLOP/s al entrenar y al predecir de varias redes, frente al techo.

    Parámetros:
        speeds: nombre de la red → medidas de ``helpers.throughput.training_speed``
            (``entrenar_img_s``, ``predecir_img_s``, ``entrenar_gflops``, ``predecir_gflops``).
        peak_gflops: techo de la máquina (``helpers.throughput.peak_gflops()``), que se dibuja
            como una línea horizontal en la gráfica de GFLOP/s.

    Ejemplo:
        >>> fig = plot_throughput({"estrecha": {"entrenar_img_s": 400, "predecir_img_s": 2000,
        ...                                     "entrenar_gflops": 30, "predecir_gflops": 50}}, 60)
        >>> [ax.get_ylabel() for ax in fig.axes]
        ['imágenes por segundo', 'GFLOP/s']
        >>> plt.close(fig)
    """
    if not speeds:
        raise ValueError("plot_throughput necesita al menos una red medida.")
    needed = {f"{step}_{unit}" for step in ("entrenar", "predecir") for unit in ("img_s", "gflops")}
    for name, measured in speeds.items():
        if missing := needed - set(measured):
            raise ValueError(f"A la red '{name}' le faltan medidas: {sorted(missing)}; usa lo que "
                             "devuelve helpers.throughput.training_speed.")
    names = list(speeds)
    positions = np.arange(len(names))
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), FigureClass=CourseFigure)
    panels = (("img_s", "imágenes por segundo", "Velocidad"),
              ("gflops", "GFLOP/s", "Aprovechamiento de la CPU"))
    for ax, (suffix, ylabel, title) in zip(axes, panels):
        for offset, (step, label) in zip((-0.2, 0.2), (("entrenar", "al entrenar"),
                                                      ("predecir", "al predecir"))):
            ax.bar(positions + offset, [speeds[name][f"{step}_{suffix}"] for name in names],
                   width=0.4, label=label)
        ax.set(title=title, ylabel=ylabel, xticks=positions, xticklabels=names, xlabel="red")
    axes[1].axhline(peak_gflops, color="black", linestyle="--",
                    label="techo de la máquina")
    for ax in axes:
        ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


def show_kernels(
    kernels: Any, titles: Sequence[str] | None = None, *, layout: str = "keras"
) -> CourseFigure:
    """Muestra núcleos de convolución con un mapa de color divergente centrado en 0.

    Rojo = pesos positivos, azul = negativos, blanco = 0, con la misma escala para todos y
    una barra de color. En núcleos de hasta 5×5 se escribe además el valor de cada peso.
    De los pesos de una capa se muestra, por filtro, la **media sobre los canales de entrada**:
    el núcleo 2D equivalente cuando la entrada es gris (todos los canales iguales).

    Parámetros:
        kernels: un núcleo (kh, kw); una lista de núcleos 2D; un diccionario nombre → núcleo
            (p. ej., ``conv.KERNELS``; las claves son los títulos); o los pesos de una capa
            Conv2D (kh, kw, C, F) de Keras.
        titles: un título por núcleo (por defecto, las claves del diccionario o «filtro i»).
        layout: formato de los pesos 4D: ``"keras"`` (kh, kw, C, F) o ``"torch"`` (F, C, kh, kw),
            p. ej., ``model.conv1.weight``.

    Devuelve:
        La figura (se muestra una sola vez en Jupyter).

    Ejemplo:
        >>> from helpers.conv import KERNELS
        >>> fig = show_kernels(KERNELS)
        >>> fig.axes[1].get_title()
        'bordes_verticales'
        >>> plt.close(fig)
    """
    if layout not in ("keras", "torch"):
        raise ValueError(f"layout debe ser 'keras' o 'torch'; recibí {layout!r}.")
    if isinstance(kernels, Mapping):
        titles = list(kernels) if titles is None else titles
        kernels = list(kernels.values())
    if isinstance(kernels, (list, tuple)):
        stack = [_to_numpy(k) for k in kernels]
        for i, k in enumerate(stack):
            if k.ndim != 2:
                raise ValueError(
                    f"El núcleo {i} tiene forma {k.shape}; en una lista deben ser 2D (kh, kw)."
                )
    else:
        weights = _to_numpy(kernels)
        if weights.ndim == 2:
            stack = [weights]
        elif weights.ndim == 4:
            if layout == "torch":
                weights = weights.transpose(2, 3, 1, 0)
            mean = weights.mean(axis=2)  # (kh, kw, F)
            stack = [mean[..., f] for f in range(mean.shape[-1])]
        else:
            raise ValueError(
                f"show_kernels espera un núcleo (kh, kw), una lista de núcleos 2D o pesos 4D "
                f"(kh, kw, C, F); recibí forma {weights.shape}."
            )
    if not stack:
        raise ValueError("show_kernels necesita al menos un núcleo.")
    default = [f"filtro {i}" for i in range(len(stack))]
    titles = _check_titles(titles, len(stack), "núcleos") or default
    limit = max(float(np.abs(k).max()) for k in stack) or 1.0
    fig, axes = _grid(len(stack), 8, (1.8, 1.9), None)
    for ax, kernel, title in zip(axes, stack, titles):
        image = ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
        if kernel.size <= 25:
            for (row, col), value in np.ndenumerate(kernel):
                color = "white" if abs(value) > 0.6 * limit else "black"
                ax.text(col, row, f"{value:.2g}", ha="center", va="center", fontsize=8, color=color)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    fig.colorbar(image, ax=axes, shrink=0.8, label="peso")
    return fig


def show_feature_maps(
    maps: Any, ncols: int = 8, titles: Sequence[str] | None = None
) -> CourseFigure:
    """Muestra los mapas de activación de una capa convolucional, uno por filtro.

    Cada mapa usa su propia escala de color (amarillo = activación alta). Para una capa con
    muchos filtros, muestra solo algunos: ``show_feature_maps(maps[..., :16])``.

    Parámetros:
        maps: activaciones (H, W, F), o (1, H, W, F) como las devuelve ``model.predict``
            para una sola imagen.
        ncols: columnas de la rejilla.
        titles: un título por mapa (por defecto, «filtro i»).

    Devuelve:
        La figura (se muestra una sola vez en Jupyter).

    Ejemplo:
        >>> fig = show_feature_maps(np.random.rand(8, 8, 4))
        >>> len(fig.axes), fig.axes[0].get_title()
        (4, 'filtro 0')
        >>> plt.close(fig)
    """
    maps = _to_numpy(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]
    if maps.ndim != 3:
        raise ValueError(
            f"show_feature_maps espera activaciones (H, W, F) o (1, H, W, F); recibí forma "
            f"{maps.shape}. Si es un lote, elige una imagen: maps[0]."
        )
    count = maps.shape[2]
    titles = _check_titles(titles, count, "mapas") or [f"filtro {i}" for i in range(count)]
    fig, axes = _grid(count, ncols, (1.8, 1.9), None)
    for i, ax in enumerate(axes):
        ax.imshow(maps[..., i], cmap="viridis")
        ax.set_title(titles[i], fontsize=9)
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_confusion_matrix(
    y_true: Any, y_pred: Any, class_names: Sequence[str], normalize: bool = False
) -> CourseFigure:
    """Dibuja la matriz de confusión con el número (o la proporción) en cada celda.

    Parámetros:
        y_true: clases reales (N,) (o one-hot (N, K)).
        y_pred: clases predichas (N,), o las probabilidades (N, K) de ``model.predict``.
        class_names: nombres de las clases, en el orden de sus índices.
        normalize: si es ``True``, cada fila se divide por su total: la diagonal es la
            proporción de aciertos de cada clase real.

    Devuelve:
        La figura (se muestra una sola vez en Jupyter).

    Ejemplo:
        >>> fig = plot_confusion_matrix([0, 1, 1], [0, 1, 0], ["gato", "perro"])
        >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
        ('clase predicha', 'clase real')
        >>> plt.close(fig)
    """
    class_names = [str(name) for name in class_names]
    n = len(class_names)
    cm = confusion_matrix(y_true, y_pred, n_classes=n)
    if normalize:
        totals = cm.sum(axis=1, keepdims=True)
        values = np.divide(cm, totals, out=np.zeros(cm.shape), where=totals > 0)
    else:
        values = cm
    side = max(4.0, 0.55 * n + 2.5)
    fig, ax = plt.subplots(figsize=(side + 1, side), FigureClass=CourseFigure)
    image = ax.imshow(values, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8, label="proporción" if normalize else "ejemplos")
    if n <= 20:
        threshold = values.max() / 2
        for (row, col), value in np.ndenumerate(values):
            text = f"{value:.2f}" if normalize else str(value)
            color = "white" if value > threshold else "black"
            ax.text(col, row, text, ha="center", va="center", color=color, fontsize=9)
    ax.set_xticks(range(n), class_names, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n), class_names)
    ax.set_xlabel("clase predicha")
    ax.set_ylabel("clase real")
    ax.set_title("Matriz de confusión" + (" (normalizada por clase real)" if normalize else ""))
    fig.tight_layout()
    return fig


def plot_per_class_accuracy(accuracies: Sequence[float], class_names: Sequence[str]) -> CourseFigure:
    """Barras horizontales con la exactitud de cada clase, de la peor a la mejor.

    ``accuracies`` es lo que devuelve ``helpers.metrics.per_class_accuracy``. Así se ve de un
    vistazo qué clases fallan más.

    Ejemplo:
        >>> fig = plot_per_class_accuracy([0.5, 1.0], ["gato", "perro"])
        >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
        ['gato', 'perro']
        >>> plt.close(fig)
    """
    values = np.asarray(accuracies, dtype=float)
    if len(values) != len(class_names):
        raise ValueError(f"Hay {len(values)} exactitudes y {len(class_names)} nombres de clase: "
                         "deben coincidir.")
    order = np.argsort(np.nan_to_num(values, nan=-1.0), kind="stable")
    fig, ax = plt.subplots(figsize=(7.0, max(2.5, 0.28 * len(values) + 1.0)), FigureClass=CourseFigure)
    ax.barh(range(len(values)), values[order], color="#1565c0")
    ax.set_yticks(range(len(values)), [str(class_names[i]) for i in order])
    ax.set_xlim(0, 1)
    ax.set_xlabel("exactitud de la clase")
    ax.set_title("Exactitud por clase (de peor a mejor)")
    fig.tight_layout()
    return fig


def show_confused_pairs(images: Any, labels: Any, predictions: Any, class_names: Sequence[str],
                        top: int = 4, folder: str | Path | None = None) -> CourseFigure | None:
    r"""Pone cara a las parejas más confundidas: una fila por pareja, con una foto de cada clase.

    Para cada pareja ``(real, predicha, veces)`` de ``helpers.metrics.confused_pairs``, la
    izquierda es una foto de la clase real que la red tomó por la otra, y la derecha una foto
    de la clase predicha (de ``images`` o, si no hay ninguna, de ``folder``), para compararlas
    a simple vista.

    Parámetros:
        images: las fotos (N, H, W, C), en el orden de ``labels`` (uint8 o float, como en
            ``show_images``).
        labels: clases reales (N,).
        predictions: clases predichas (N,).
        class_names: nombres de las clases, en el orden de sus índices.
        top: cuántas parejas mostrar, de la más a la menos confundida.
        folder: carpeta con una subcarpeta de fotos por clase (la de ``petfaces()``), de donde
            sale la foto de la clase predicha cuando ``images`` no tiene ninguna de ella.

    Devuelve:
        La figura (``2 × parejas`` ejes), o ``None`` si la red no confundió ninguna foto.

    Ejemplo:
        >>> fig = show_confused_pairs(np.zeros((3, 8, 8, 3)), [0, 1, 1], [1, 1, 1], ["gato", "lince"])
        >>> [ax.get_title() for ax in fig.axes]
        ['gato\n(la red dijo lince)', 'lince\n(otra foto de esta clase)']
        >>> plt.close(fig)
    """
    true, pred = _as_class_indices(labels, "labels"), _as_class_indices(predictions, "predictions")
    if len(images) != len(true):
        raise ValueError(f"Hay {len(images)} imágenes y {len(true)} etiquetas: deben coincidir.")
    pairs = confused_pairs(true, pred, class_names, top=top)
    if not pairs:
        print("La red no confundió ninguna foto: no hay parejas que mostrar.")
        return None
    index = {str(name): i for i, name in enumerate(class_names)}
    chosen, titles = [], []
    for real, predicted, _ in pairs:
        mistaken = np.flatnonzero((true == index[real]) & (pred == index[predicted]))[0]
        others = np.flatnonzero(true == index[predicted])
        other = images[others[0]] if others.size else _first_photo(folder, predicted)
        chosen += [images[mistaken], np.ones(_to_numpy(images[0]).shape) if other is None else other]
        titles += [f"{real}\n(la red dijo {predicted})",
                   f"{predicted}\n({'sin fotos de esta clase' if other is None else 'otra foto de esta clase'})"]
    return show_images(chosen, titles, ncols=2)


def _first_photo(folder: str | Path | None, class_name: str) -> np.ndarray | None:
    """La primera foto (por nombre) de ``folder/class_name``, o ``None`` si no hay carpeta o está vacía."""
    photos = sorted((Path(folder) / class_name).glob("*.*")) if folder is not None else []
    return load_image(photos[0]) if photos else None


def show_heatmaps(images: Any, heatmaps: Any, titles: Sequence[str] | None = None,
                  alpha: float = 0.45, ncols: int | None = None) -> CourseFigure:
    """Muestra cada imagen con su mapa de calor (por ejemplo, de Grad-CAM) superpuesto.

    Parámetros:
        images: lote (N, H, W, 3) en [0, 1] o 0–255.
        heatmaps: mapas (N, h, w) en [0, 1]; se amplían al tamaño de la imagen.
        titles: un título por imagen (por ejemplo, «real → predicha»).
        alpha: opacidad del mapa (0 = invisible, 1 = tapa la imagen).

    Ejemplo:
        >>> fig = show_heatmaps(np.zeros((2, 32, 32, 3)), np.random.rand(2, 4, 4), ["a", "b"])
        >>> len(fig.axes)
        2
        >>> plt.close(fig)
    """
    from skimage.transform import resize

    batch = _to_numpy(images)
    maps = _to_numpy(heatmaps)
    if len(batch) != len(maps):
        raise ValueError(f"Hay {len(batch)} imágenes y {len(maps)} mapas de calor: deben coincidir.")
    titles = _check_titles(titles, len(batch), "imágenes")
    fig, axes = _grid(len(batch), ncols or min(len(batch), 4), (3.0, 3.2), None)
    for index, (ax, image, heatmap) in enumerate(zip(axes, batch, maps)):
        picture, _ = _prepare_image(image, index)
        ax.imshow(picture)
        ax.imshow(resize(heatmap, picture.shape[:2], order=1), cmap="jet", alpha=alpha, vmin=0, vmax=1)
        ax.axis("off")
        if titles:
            ax.set_title(titles[index], fontsize=9)
    fig.tight_layout()
    return fig
