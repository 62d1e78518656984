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
