"""Pruebas de helpers.plots: cada figura tiene los ejes, títulos y etiquetas esperados."""
from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from helpers._display import CourseFigure  # noqa: E402
from helpers.conv import KERNELS  # noqa: E402
from helpers.plots import (  # noqa: E402
    plot_confusion_matrix,
    plot_history,
    show_confused_pairs,
    show_feature_maps,
    show_images,
    show_kernels,
)

HISTORY = {
    "loss": [1.2, 0.8, 0.6],
    "val_loss": [1.3, 0.9, 0.85],
    "accuracy": [0.5, 0.7, 0.8],
    "val_accuracy": [0.45, 0.6, 0.65],
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def image_axes(fig):
    """Ejes que contienen una imagen (excluye la barra de color)."""
    return [ax for ax in fig.axes if ax.images and ax.get_label() != "<colorbar>"]


# --- show_images ---------------------------------------------------------------------------------

def test_show_images_mixed_formats_and_titles():
    rng = np.random.default_rng(0)
    images = [
        rng.integers(0, 256, (8, 8), dtype=np.uint8),
        rng.integers(0, 256, (8, 8, 1), dtype=np.uint8),
        rng.integers(0, 256, (8, 8, 3), dtype=np.uint8),
        rng.random((8, 8, 3)),
    ]
    fig = show_images(images, titles=["a", "b", "c", "d"], ncols=2)
    assert isinstance(fig, CourseFigure)
    assert len(fig.axes) == 4
    assert [ax.get_title() for ax in fig.axes] == ["a", "b", "c", "d"]
    assert fig.axes[0].images[0].get_cmap().name == "gray"
    assert fig.axes[1].images[0].get_cmap().name == "gray"
    assert fig.axes[2].images[0].get_array().shape == (8, 8, 3)


def test_show_images_uses_class_names_for_labels():
    batch = np.zeros((3, 5, 5, 3), dtype=np.uint8)
    names = ["avión", "automóvil", "pájaro"]
    fig = show_images(batch, labels=np.array([2, 0, 1]), class_names=names)
    assert [ax.get_title() for ax in fig.axes] == ["pájaro", "avión", "automóvil"]
    one_hot = np.eye(3)[[1, 1, 0]]
    fig = show_images(batch, labels=one_hot, class_names=names)
    assert [ax.get_title() for ax in fig.axes] == ["automóvil", "automóvil", "avión"]
    column = np.array([[2], [1], [0]])  # y_train de CIFAR-10 en Keras tiene forma (N, 1)
    fig = show_images(batch, labels=column, class_names=names)
    assert [ax.get_title() for ax in fig.axes] == ["pájaro", "automóvil", "avión"]


def test_show_images_batch_of_gray_and_single_image_and_grid():
    fig = show_images(np.zeros((7, 6, 6)), ncols=3)  # lote (N, H, W) de imágenes en gris
    assert len(fig.axes) == 7
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (3, 3)
    assert len(show_images(np.zeros((6, 6, 3))).axes) == 1  # una sola foto (H, W, 3)


def test_show_images_float_0_255_is_rescaled_and_custom_cmap():
    img = np.full((4, 4), 255.0, dtype=np.float32)
    fig = show_images([img], cmap="viridis")
    shown = fig.axes[0].images[0]
    assert shown.get_array().max() == pytest.approx(1.0)
    assert shown.get_cmap().name == "viridis"


@pytest.mark.parametrize("kwargs,message", [
    ({"images": []}, "al menos una imagen"),
    ({"images": [np.zeros((3, 8, 8))]}, r"canales delante .*permute\(1, 2, 0\)"),
    ({"images": [np.zeros((8, 8, 2))]}, "se espera"),
    ({"images": [np.full((4, 4), -1.5)]}, "valores negativos"),
    ({"images": [np.full((4, 4), 300.0)]}, "deshaz la normalización"),
    ({"images": [np.zeros((4, 4))] * 2, "titles": ["uno"]}, "Hay 2 imágenes pero 1 títulos"),
    ({"images": [np.zeros((4, 4))], "labels": [0]}, "pasa también class_names"),
    ({"images": [np.zeros((4, 4))], "labels": [3], "class_names": ["a", "b"]}, "fuera de rango"),
])
def test_show_images_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_images(**kwargs)


# --- plot_history --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "history", [HISTORY, SimpleNamespace(history=HISTORY)], ids=["dict", "keras"]
)
def test_plot_history_from_dict_and_keras_history(history):
    fig = plot_history(history)
    assert len(fig.axes) == 2
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_title() == "Pérdida por época"
    assert acc_ax.get_title() == "Exactitud por época"
    assert loss_ax.get_xlabel() == "época" and loss_ax.get_ylabel() == "pérdida"
    legend = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert legend == ["entrenamiento", "validación"]
    train, val = loss_ax.get_lines()
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])  # las épocas empiezan en 1
    np.testing.assert_allclose(val.get_ydata(), HISTORY["val_loss"])


def test_plot_history_skips_missing_metrics_and_validation():
    fig = plot_history({"loss": [1.0, 0.5]}, metrics=("loss", "accuracy", "mae"))
    assert len(fig.axes) == 1
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["entrenamiento"]
    fig = plot_history(HISTORY, metrics="accuracy")
    assert [ax.get_title() for ax in fig.axes] == ["Exactitud por época"]


def test_plot_history_errors():
    with pytest.raises(ValueError, match="no tiene ninguna de las métricas.*contiene"):
        plot_history({"mae": [1.0]})
    with pytest.raises(ValueError, match="espera el History que devuelve model.fit"):
        plot_history([0.5, 0.4])



def test_plot_history_names_top_k_like_keras_and_the_course_loop():
    """``top3`` (``name`` de la métrica de Keras y clave de ``fit(top_k=3)``) se titula en castellano."""
    fig = plot_history({**HISTORY, "top3": [0.7, 0.8, 0.9], "val_top3": [0.6, 0.7, 0.75]},
                       metrics=("loss", "accuracy", "top3"))
    assert [ax.get_title() for ax in fig.axes] == ["Pérdida por época", "Exactitud por época",
                                                   "Exactitud top-3 por época"]
    assert fig.axes[2].get_ylabel() == "exactitud top-3"
    np.testing.assert_allclose(fig.axes[2].get_lines()[1].get_ydata(), [0.6, 0.7, 0.75])


# --- show_confused_pairs -------------------------------------------------------------------------

def test_show_confused_pairs_shows_the_mistaken_photo_and_one_of_the_other_class_per_pair():
    # Cada imagen tiene un gris propio (su índice / 10): así se sabe qué foto va en cada eje.
    images = np.arange(8, dtype=float)[:, None, None, None] / 10 * np.ones((8, 4, 4, 3))
    labels = [0, 0, 0, 1, 1, 2, 2, 2]
    predictions = [1, 1, 0, 1, 0, 2, 2, 0]   # 0→1 dos veces; 1→0 y 2→0, una
    names = ["Bengal", "Persian", "pug"]
    fig = show_confused_pairs(images, labels, predictions, names, top=2)
    assert len(fig.axes) == 4   # dos parejas, dos fotos cada una
    assert [ax.get_title() for ax in fig.axes] == [
        "Bengal\n(la red dijo Persian)", "Persian\n(otra foto de esta clase)",
        "Persian\n(la red dijo Bengal)", "Bengal\n(otra foto de esta clase)"]
    shown = [float(ax.images[0].get_array().mean()) for ax in fig.axes]
    np.testing.assert_allclose(shown, [0.0, 0.3, 0.4, 0.0])   # la 1.ª foto confundida de cada clase real


def test_show_confused_pairs_without_a_photo_of_the_predicted_class_or_without_errors(capsys, tmp_path):
    images = np.full((3, 4, 4, 3), 200, dtype=np.uint8)
    fig = show_confused_pairs(images, [0, 0, 0], [2, 0, 0], ["Bengal", "Persian", "pug"])
    assert [ax.get_title() for ax in fig.axes] == ["Bengal\n(la red dijo pug)", "pug\n(sin fotos de esta clase)"]
    # Con la carpeta de una subcarpeta por clase, la foto que falta sale de ella (la primera por nombre).
    (tmp_path / "pug").mkdir()
    for name, value in (("b.png", 10), ("a.png", 90)):
        Image.fromarray(np.full((6, 5, 3), value, dtype=np.uint8)).save(tmp_path / "pug" / name)
    fig = show_confused_pairs(images, [0, 0, 0], [2, 0, 0], ["Bengal", "Persian", "pug"], folder=tmp_path)
    assert fig.axes[1].get_title() == "pug\n(otra foto de esta clase)"
    assert fig.axes[1].images[0].get_array().shape == (6, 5, 3)
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(), 90 / 255)
    assert show_confused_pairs(images, [0, 1, 2], [0, 1, 2], ["Bengal", "Persian", "pug"]) is None
    assert "no confundió ninguna foto" in capsys.readouterr().out
    with pytest.raises(ValueError, match="3 imágenes y 2 etiquetas"):
        show_confused_pairs(images, [0, 1], [0, 1], ["Bengal", "Persian"])

# --- show_kernels --------------------------------------------------------------------------------

def test_show_kernels_dict_titles_diverging_scale_and_colorbar():
    fig = show_kernels(KERNELS)
    axes = image_axes(fig)
    assert len(axes) == len(KERNELS)
    assert len(fig.axes) == len(KERNELS) + 1  # más la barra de color
    assert [ax.get_title() for ax in axes] == list(KERNELS)
    norm = axes[0].images[0].norm
    assert norm.vmin == -norm.vmax == -5  # centrada en 0; 5 es el mayor |peso| («enfocar»)
    assert axes[0].images[0].get_cmap().name == "RdBu_r"
    assert [t.get_text() for t in axes[1].texts][:3] == ["-1", "0", "1"]  # Sobel x, primera fila


def test_show_kernels_layer_weights_use_channel_mean_in_both_layouts():
    weights = np.random.default_rng(2).standard_normal((3, 3, 3, 6))  # (kh, kw, C, F) de Keras
    fig = show_kernels(weights)
    axes = image_axes(fig)
    assert len(axes) == 6 and axes[5].get_title() == "filtro 5"
    np.testing.assert_allclose(axes[4].images[0].get_array(), weights[..., 4].mean(axis=2))
    torch_layout = weights.transpose(3, 2, 0, 1)  # (F, C, kh, kw) de PyTorch
    fig = show_kernels(torch_layout, layout="torch")
    shown = image_axes(fig)[4].images[0].get_array()
    np.testing.assert_allclose(shown, weights[..., 4].mean(axis=2))


def test_show_kernels_list_and_single_kernel():
    fig = show_kernels([np.ones((5, 5)), -np.ones((3, 2))], titles=["uno", "dos"])
    assert [ax.get_title() for ax in image_axes(fig)] == ["uno", "dos"]
    assert len(image_axes(show_kernels(np.zeros((3, 3))))) == 1


@pytest.mark.parametrize("kwargs,message", [
    ({"kernels": np.zeros((3, 3, 3))}, "show_kernels espera"),
    ({"kernels": [np.zeros((3, 3, 3))]}, "deben ser 2D"),
    ({"kernels": []}, "al menos un núcleo"),
    ({"kernels": np.zeros((3, 3)), "layout": "tf"}, "layout debe ser"),
    ({"kernels": [np.zeros((3, 3))], "titles": ["a", "b"]}, "Hay 1 núcleos pero 2 títulos"),
])
def test_show_kernels_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_kernels(**kwargs)


# --- show_feature_maps ---------------------------------------------------------------------------

def test_show_feature_maps_grid_and_batch_of_one():
    maps = np.random.default_rng(3).random((1, 6, 6, 10))
    fig = show_feature_maps(maps, ncols=4)
    assert len(fig.axes) == 10
    assert fig.axes[0].get_subplotspec().get_gridspec().get_geometry() == (3, 4)
    assert fig.axes[9].get_title() == "filtro 9"
    np.testing.assert_allclose(fig.axes[2].images[0].get_array(), maps[0, ..., 2])
    fig = show_feature_maps(maps[0, ..., :2], titles=["bordes", "manchas"])
    assert [ax.get_title() for ax in fig.axes] == ["bordes", "manchas"]


def test_show_feature_maps_rejects_batches():
    with pytest.raises(ValueError, match=r"elige una imagen: maps\[0\]"):
        show_feature_maps(np.zeros((2, 6, 6, 4)))


# --- plot_confusion_matrix -----------------------------------------------------------------------

def test_plot_confusion_matrix_annotations_and_labels():
    names = ["gato", "perro", "pájaro"]
    fig = plot_confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], names)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "clase predicha" and ax.get_ylabel() == "clase real"
    assert ax.get_title() == "Matriz de confusión"
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert ax.get_xticklabels()[0].get_rotation() == 45
    cells = [t.get_text() for t in ax.texts]
    assert cells == ["1", "1", "0", "0", "1", "0", "1", "0", "2"]


def test_plot_confusion_matrix_normalized_rows():
    fig = plot_confusion_matrix([0, 0, 0, 1], [0, 0, 1, 1], ["a", "b", "c"], normalize=True)
    ax = fig.axes[0]
    assert "normalizada" in ax.get_title()
    assert [t.get_text() for t in ax.texts][:3] == ["0.67", "0.33", "0.00"]
    rows = ax.images[0].get_array()
    np.testing.assert_allclose(rows.sum(axis=1), [1, 1, 0])  # la clase sin ejemplos queda a 0


# --- visualización en Jupyter --------------------------------------------------------------------

@pytest.mark.integration  # arranca un núcleo de Jupyter aparte
def test_figures_are_shown_exactly_once_in_jupyter(tmp_path):
    import nbclient
    import nbformat

    cells = [
        "import numpy as np\nfrom helpers.plots import show_images\nimages = [np.zeros((4, 4))]",
        "show_images(images)",  # última línea de la celda
        "fig = show_images(images)",  # asignada
        "show_images(images)\nprint('sigue')",  # en medio de la celda
        "fig",  # volver a mostrarla en otra celda
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    resources = {"metadata": {"path": str(tmp_path)}}
    nbclient.NotebookClient(notebook, timeout=120, resources=resources).execute()
    pictures = [
        sum("image/png" in output.get("data", {}) for output in cell.outputs)
        for cell in notebook.cells
    ]
    assert pictures == [0, 1, 1, 1, 1]


def test_compare_histories_draws_one_line_per_run_and_names_missing_metrics():
    from helpers.plots import compare_histories

    fig = compare_histories({"a": {"val_loss": [1.0, 0.5]}, "b": {"val_loss": [0.9, 0.7, 0.6]}},
                            "val_loss")
    lines = fig.axes[0].get_lines()
    assert [len(line.get_xdata()) for line in lines] == [2, 3]
    assert fig.axes[0].get_ylabel() == "pérdida (validación)"
    plt.close(fig)
    with pytest.raises(ValueError, match="no tiene la métrica 'val_accuracy'"):
        compare_histories({"a": {"val_loss": [1.0]}})
    with pytest.raises(ValueError, match="al menos un entrenamiento"):
        compare_histories({})


def test_show_images_two_line_titles_do_not_overlap_the_row_above():
    titles = ["Zapatilla deportiva\n(real: Camiseta/top)"] * 10
    fig = show_images(np.zeros((10, 28, 28)), titles=titles)
    fig.canvas.draw()  # aplica el aspecto de las imágenes: los ejes quedan a su tamaño real
    renderer = fig.canvas.get_renderer()
    above = fig.axes[0].get_window_extent(renderer)
    title_below = fig.axes[5].title.get_window_extent(renderer)
    assert title_below.y1 <= above.y0, "el título de la segunda fila tapa la imagen de la primera"
    plt.close(fig)


def test_plot_throughput_draws_both_steps_for_each_network_and_the_peak():
    from helpers.plots import plot_throughput

    speeds = {"estrecha": {"entrenar_img_s": 400, "predecir_img_s": 2000, "entrenar_gflops": 30,
                           "predecir_gflops": 50},
              "ancha": {"entrenar_img_s": 70, "predecir_img_s": 300, "entrenar_gflops": 50,
                        "predecir_gflops": 70}}
    fig = plot_throughput(speeds, peak_gflops=66)
    speed_ax, gflops_ax = fig.axes
    assert [bar.get_height() for bar in speed_ax.patches] == [400, 70, 2000, 300]
    assert [bar.get_height() for bar in gflops_ax.patches] == [30, 50, 50, 70]
    assert [t.get_text() for t in gflops_ax.get_xticklabels()] == ["estrecha", "ancha"]
    assert gflops_ax.get_lines()[0].get_ydata()[0] == 66
    plt.close(fig)
    with pytest.raises(ValueError, match="al menos una red"):
        plot_throughput({}, 66)
    with pytest.raises(ValueError, match="le faltan medidas: \\['predecir_gflops'\\]"):
        plot_throughput({"a": {"entrenar_img_s": 1, "predecir_img_s": 1, "entrenar_gflops": 1}}, 66)
