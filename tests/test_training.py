"""El bucle de entrenamiento de PyTorch del curso: aprende, guarda el mejor modelo y lo recupera."""
import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers.plots import plot_history
from helpers.training import evaluate, fit, load_weights, predict


def separable_loaders(n=256, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=generator)
    y = (x[:, 0] + x[:, 1] > 0).long()
    dataset = TensorDataset(x, y)
    return (DataLoader(dataset, batch_size=32, shuffle=True, generator=generator),
            DataLoader(dataset, batch_size=64))


def test_fit_learns_and_history_has_keras_keys(capsys):
    torch.manual_seed(0)
    train, val = separable_loaders()
    model = nn.Linear(2, 2)
    history = fit(model, train, val, epochs=5, optimizer=torch.optim.SGD(model.parameters(), 0.5),
                  progress=False)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 5 for values in history.values())
    assert history["val_accuracy"][-1] > 0.9 and history["loss"][-1] < history["loss"][0]
    assert "Época 5/5" in capsys.readouterr().out
    assert len(plot_history(history).axes) == 2


def test_checkpoint_keeps_the_best_validation_model(tmp_path):
    torch.manual_seed(0)
    train, val = separable_loaders()
    model = nn.Linear(2, 2)
    path = tmp_path / "mejor.pt"
    history = fit(model, train, val, epochs=4, optimizer=torch.optim.SGD(model.parameters(), 0.5),
                  checkpoint=path, progress=False, verbose=False)
    restored = load_weights(nn.Linear(2, 2), path)
    assert evaluate(restored, val)["accuracy"] == pytest.approx(max(history["val_accuracy"]))


def test_predict_returns_logits_and_labels_in_order():
    train, val = separable_loaders(n=100)
    model = nn.Linear(2, 2)
    logits, labels = predict(model, val)
    assert logits.shape == (100, 2) and labels.shape == (100,)
    x, y = val.dataset.tensors
    np.testing.assert_allclose(logits, model(x).detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(labels, y.numpy())


def test_scheduler_is_stepped_once_per_batch():
    train, _ = separable_loaders(n=64)  # 2 lotes de 32
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), 0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    fit(model, train, epochs=2, optimizer=optimizer, scheduler=scheduler, progress=False, verbose=False)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * 0.5 ** 4)


def test_load_weights_refuses_pickled_code(tmp_path):
    path = tmp_path / "malicioso.pt"
    torch.save({"weight": torch.zeros(2, 2), "extra": print}, path)
    with pytest.raises(Exception, match="(?i)weights_only|unsupported|global"):
        load_weights(nn.Linear(2, 2), path)


def test_empty_loader_is_explained():
    model = nn.Linear(2, 2)
    empty = DataLoader(TensorDataset(torch.empty(0, 2), torch.empty(0, dtype=torch.long)), batch_size=4)
    with pytest.raises(ValueError, match="ningún lote"):
        evaluate(model, empty)


def test_train_mode_keeps_batchnorm_statistics_of_a_frozen_base():
    train, val = separable_loaders()
    base = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4)).requires_grad_(False)
    model = nn.Sequential(base, nn.ReLU(), nn.Linear(4, 2))
    before = base[1].running_mean.clone()

    def train_mode(model):
        model.train()
        model[0].eval()

    fit(model, train, val, epochs=2, optimizer=torch.optim.SGD(model[2].parameters(), 0.1),
        train_mode=train_mode, progress=False, verbose=False)   # 2 épocas: la validación no la deshace
    torch.testing.assert_close(base[1].running_mean, before)
    fit(model, train, val, epochs=1, optimizer=torch.optim.SGD(model[2].parameters(), 0.1),
        progress=False, verbose=False)
    assert not torch.equal(base[1].running_mean, before)  # con model.train(), BatchNorm sí cambia


def top_k_reference(logits: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Exactitud top-k calculada aparte: la clase correcta está entre las k primeras de un orden completo."""
    return float(np.mean([label in np.argsort(-row, kind="stable")[:k] for row, label in zip(logits, labels)]))


def test_fit_tracks_top_k_per_epoch_in_training_and_validation(capsys):
    """Con lr=0 los pesos no cambian: el top-3 de cada época es el del modelo fijo, lote a lote."""
    generator = torch.Generator().manual_seed(3)
    x, y = torch.randn(50, 6, generator=generator), torch.randint(0, 7, (50,), generator=generator)
    loader = DataLoader(TensorDataset(x, y), batch_size=16)   # el último lote, de 2: la media se pondera
    torch.manual_seed(0)
    model = nn.Linear(6, 7)
    expected = top_k_reference(model(x).detach().numpy(), y.numpy(), k=3)
    assert 0.2 < expected < 0.8   # ni todo ni nada: la prueba distingue
    history = fit(model, loader, loader, epochs=2, optimizer=torch.optim.SGD(model.parameters(), 0.0),
                  top_k=3, progress=False)
    assert set(history) == {"loss", "accuracy", "top3", "val_loss", "val_accuracy", "val_top3"}
    for key in ("top3", "val_top3"):
        assert history[key] == pytest.approx([expected, expected])
    assert history["accuracy"][0] == pytest.approx(top_k_reference(model(x).detach().numpy(), y.numpy(), k=1))
    assert f"top3 {expected:.4f} · val_pérdida" in capsys.readouterr().out
    assert [ax.get_title() for ax in plot_history(history, metrics=("loss", "accuracy", "top3")).axes][2] == \
        "Exactitud top-3 por época"


def test_fit_top_k_follows_the_weights_while_they_learn():
    """Entrenando, el top-1 que pide top_k=1 es la exactitud de la misma época."""
    torch.manual_seed(0)
    train, val = separable_loaders()
    model = nn.Linear(2, 2)
    history = fit(model, train, val, epochs=3, optimizer=torch.optim.SGD(model.parameters(), 0.5),
                  top_k=1, progress=False, verbose=False)
    assert history["top1"] == pytest.approx(history["accuracy"])
    assert history["val_top1"] == pytest.approx(history["val_accuracy"])
