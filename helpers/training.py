"""Entrenar, evaluar y predecir con PyTorch, con un historial que ``plot_history`` sabe dibujar.

Keras trae ``model.fit``; en PyTorch el bucle se escribe a mano. El cuaderno 07a lo escribe
una vez, paso a paso, y después usa esta versión, que añade barra de progreso, validación,
guardado del mejor modelo y manejo del dispositivo (GPU si la hay).

Ejemplo:
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> data = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,))), batch_size=8)
    >>> model = torch.nn.Linear(4, 2)
    >>> history = fit(model, data, data, epochs=2, optimizer=torch.optim.SGD(model.parameters(), 0.1),
    ...               progress=False, verbose=False)
    >>> sorted(history)
    ['accuracy', 'loss', 'val_accuracy', 'val_loss']
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from helpers.metrics import top_k_accuracy

__all__ = ["evaluate", "extract_features", "fit", "load_weights", "predict"]


def _resolve_device(model: Any, device: Any) -> Any:
    """El dispositivo pedido o, si no se pide ninguno, aquel en el que ya está el modelo."""
    import torch

    if device is not None:
        return torch.device(device)
    parameter = next(model.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")


def _run_epoch(model, loader, loss_fn, device, optimizer=None, scheduler=None,
               bar_label: str | None = None, train_mode=None, top_k: int | None = None) -> dict[str, float]:
    """Una pasada por ``loader``: entrena si hay ``optimizer``; si no, solo evalúa.

    Con ``top_k``, cuenta además la exactitud top-k (clave ``f"top{top_k}"``) con los logits de
    cada lote, los mismos que dan la pérdida.
    """
    import torch

    training = optimizer is not None
    if training and train_mode is not None:
        train_mode(model)
    else:
        model.train(training)
    total_loss, correct, top_hits, seen = 0.0, 0, 0.0, 0
    batches = loader
    if bar_label is not None:
        from tqdm.auto import tqdm

        batches = tqdm(loader, desc=bar_label, leave=False, unit="lote")
    with torch.set_grad_enabled(training):
        for inputs, targets in batches:
            inputs, targets = inputs.to(device), targets.to(device)
            logits = model(inputs)
            loss = loss_fn(logits, targets)
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
            total_loss += loss.item() * len(targets)
            correct += (logits.argmax(dim=1) == targets).sum().item()
            if top_k is not None:
                top_hits += top_k_accuracy(logits.detach(), targets, top_k) * len(targets)
            seen += len(targets)
            if bar_label is not None:
                batches.set_postfix(loss=f"{total_loss / seen:.3f}", acc=f"{correct / seen:.3f}")
    if seen == 0:
        raise ValueError("El DataLoader no tiene ningún lote: revisa el conjunto y batch_size.")
    metrics = {"loss": total_loss / seen, "accuracy": correct / seen}
    if top_k is not None:
        metrics[f"top{top_k}"] = top_hits / seen
    return metrics


def _describe(metrics: dict[str, float], prefix: str) -> str:
    """La línea de una época: ``pérdida 0.6931 · exactitud 0.5000 · top3 0.9000`` (con ``val_`` delante)."""
    names = {"loss": "pérdida", "accuracy": "exactitud"}
    return " · ".join(f"{prefix}{names.get(key, key)} {value:.4f}" for key, value in metrics.items())


def fit(model, train_loader, val_loader=None, *, epochs: int, optimizer, loss_fn=None,
        scheduler=None, device=None, checkpoint: str | Path | None = None, train_mode=None,
        top_k: int | None = None, progress: bool = True, verbose: bool = True) -> dict[str, list[float]]:
    """Entrena ``model`` durante ``epochs`` épocas y devuelve el historial por época.

    Parámetros:
        loss_fn: por defecto ``nn.CrossEntropyLoss()``, que espera **logits** (sin softmax)
            y etiquetas como índices de clase.
        scheduler: se avanza una vez por lote (como ``OneCycleLR``), si se da.
        device: dónde entrenar; por defecto, donde ya esté el modelo (``model.to(device)``).
        checkpoint: si se da, guarda ahí el ``state_dict`` cada vez que mejora la exactitud
            de validación (el «mejor modelo»; recupéralo con ``load_weights``).
        train_mode: función ``train_mode(model)`` que pone los modos antes de cada época de
            entrenamiento, en lugar de ``model.train()``. Sirve para dejar una base
            preentrenada en modo evaluación (``model.train(); model.features.eval()``): su
            BatchNorm conserva las estadísticas aprendidas en vez de recalcularlas con cada lote.
        top_k: si se da (p. ej., 3), mide también la exactitud top-k en cada época, en
            entrenamiento y validación, como ``SparseTopKCategoricalAccuracy(k=3, name="top3")``
            de Keras: claves ``"top3"`` y ``"val_top3"``.

    Devuelve:
        ``{"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}``,
        las mismas claves que ``History.history`` de Keras (más las de ``top_k``, si se pide).

    Ejemplo:
        >>> history = fit(model, train_loader, val_loader, epochs=10,          # doctest: +SKIP
        ...               optimizer=torch.optim.Adam(model.parameters(), 1e-3),
        ...               checkpoint="models/mejor.pt")
    """
    import torch

    loss_fn = loss_fn if loss_fn is not None else torch.nn.CrossEntropyLoss()
    device = _resolve_device(model, device)
    model.to(device)
    history: dict[str, list[float]] = {}
    best = -1.0
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        label = f"Época {epoch}/{epochs}" if progress else None
        train = _run_epoch(model, train_loader, loss_fn, device, optimizer, scheduler, label,
                           train_mode, top_k)
        line = f"Época {epoch}/{epochs} · {_describe(train, '')}"
        for key, value in train.items():
            history.setdefault(key, []).append(value)
        if val_loader is not None:
            val = _run_epoch(model, val_loader, loss_fn, device, top_k=top_k)
            line += f" · {_describe(val, 'val_')}"
            for key, value in val.items():
                history.setdefault(f"val_{key}", []).append(value)
            if checkpoint is not None and val["accuracy"] > best:
                best = val["accuracy"]
                Path(checkpoint).parent.mkdir(parents=True, exist_ok=True)
                torch.save(model.state_dict(), checkpoint)
                line += " · guardado"
        if verbose:
            print(f"{line} · {time.perf_counter() - start:.0f} s")
    return history


def evaluate(model, loader, loss_fn=None, device=None) -> dict[str, float]:
    """Pérdida y exactitud medias de ``model`` en ``loader``, sin entrenar.

    Ejemplo:
        >>> evaluate(model, test_loader)          # doctest: +SKIP
        {'loss': 1.23, 'accuracy': 0.61}
    """
    import torch

    loss_fn = loss_fn if loss_fn is not None else torch.nn.CrossEntropyLoss()
    device = _resolve_device(model, device)
    return _run_epoch(model.to(device), loader, loss_fn, device)


def predict(model, loader, device=None) -> tuple[np.ndarray, np.ndarray]:
    """Logits de ``model`` para todo ``loader`` y las etiquetas verdaderas, como arrays de NumPy.

    Ejemplo:
        >>> logits, labels = predict(model, val_loader)     # doctest: +SKIP
        >>> (logits.argmax(axis=1) == labels).mean()        # exactitud  # doctest: +SKIP
    """
    logits, labels = extract_features(model, loader, device)
    return logits.numpy(), labels.numpy()


def extract_features(encoder, loader, device=None):
    """Salidas de ``encoder`` (en modo evaluación, sin gradientes) para todo ``loader``, y sus etiquetas.

    Sirve para calcular **una vez** las características de una base congelada y entrenar
    después solo la cabeza sobre ellas (``TensorDataset(features, labels)``).

    Devuelve:
        ``(features, labels)``, dos tensores en la CPU, en el orden de ``loader``.

    Ejemplo:
        >>> import torch
        >>> from torch.utils.data import DataLoader, TensorDataset
        >>> data = DataLoader(TensorDataset(torch.randn(10, 4), torch.arange(10)), batch_size=4)
        >>> features, labels = extract_features(torch.nn.Linear(4, 3), data)
        >>> tuple(features.shape), labels.tolist()[:3]
        ((10, 3), [0, 1, 2])
    """
    import torch

    device = _resolve_device(encoder, device)
    encoder.to(device).eval()
    outputs, targets = [], []
    with torch.no_grad():
        for inputs, labels in loader:
            outputs.append(encoder(inputs.to(device)).cpu())
            targets.append(torch.as_tensor(labels))
    return torch.cat(outputs), torch.cat(targets)


def load_weights(model, path: str | Path, device=None):
    """Carga en ``model`` un ``state_dict`` guardado (solo tensores: ``weights_only=True``).

    ``weights_only=True`` impide que el archivo ejecute código al cargarlo: un ``.pt``
    arbitrario es un *pickle* y podría hacerlo.

    Ejemplo:
        >>> model = load_weights(SmallCNN(), "models/mejor.pt")   # doctest: +SKIP
    """
    import torch

    device = _resolve_device(model, device)
    state = torch.load(path, map_location=device, weights_only=True)
    model.load_state_dict(state)
    return model.to(device)
