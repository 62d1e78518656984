"""Construye la página web que clasifica en el navegador: fuentes del paquete, modelos y ONNX Runtime Web.

Las fuentes de la página viajan dentro del paquete (``helpers/serving/site``), así que funciona
igual con el repositorio que con ``pip install curso-cnn``. Solo falta ONNX Runtime Web, que se
instala con npm (sin CDN) en la carpeta donde trabajas::

    npm install onnxruntime-web@1.30.0
    python -m helpers.serving.webpage models/09/moda_keras.modelo.json --salida pagina
    python -m http.server --directory pagina 8001        # y abre http://localhost:8001

La página lee ``modelos.json``: la ficha de cada modelo (``helpers.serving.contract``) y los
límites de la API (``Limits``), para aceptar y rechazar lo mismo que ella.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from helpers.cli import SpanishParser
from helpers.serving.contract import card_path, read_card
from helpers.serving.preprocess import Limits

__all__ = ["RUNTIME_FILES", "SITE", "build_page", "find_runtime"]

SITE = Path(__file__).with_name("site")
RUNTIME_VERSION = "1.30.0"  # la de web/package.json
RUNTIME_FILES = ("ort.wasm.min.js", "ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.mjs")


def find_runtime(runtime: str | Path | None = None) -> Path:
    """La carpeta ``dist`` de onnxruntime-web: la indicada o ``./node_modules/onnxruntime-web/dist``.

    Ejemplo:
        >>> find_runtime("no/existe")   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        FileNotFoundError: No encuentro ONNX Runtime Web en 'no/existe'...
    """
    folder = Path(runtime) if runtime else Path("node_modules") / "onnxruntime-web" / "dist"
    if not all((folder / name).is_file() for name in RUNTIME_FILES):
        raise FileNotFoundError(
            f"No encuentro ONNX Runtime Web en '{folder}'. Instálalo con npm en esta carpeta: "
            f"`npm install onnxruntime-web@{RUNTIME_VERSION}` (necesita Node.js), o indica su carpeta dist.")
    return folder


def build_page(models: list[str | Path], out: str | Path, runtime: str | Path | None = None,
               limits: Limits = Limits()) -> Path:
    """Construye la página en ``out`` con los modelos dados (``.onnx`` o sus fichas) y devuelve ``out``.

    Ejemplo:
        >>> build_page(["models/09/moda_keras.modelo.json"], "pagina")   # doctest: +SKIP
        PosixPath('pagina')
    """
    runtime = find_runtime(runtime)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(SITE, out)
    (out / "vendor").mkdir()
    for name in RUNTIME_FILES:
        shutil.copy2(runtime / name, out / "vendor" / name)
    cards = []
    for model in models:
        card = read_card(model)
        folder = Path(model).parent
        shutil.copy2(folder / card.modelo, out / card.modelo)
        shutil.copy2(card_path(folder / card.modelo), out / card_path(card.modelo).name)
        cards.append(asdict(card))
    if len({card["modelo"] for card in cards}) != len(cards):
        raise ValueError("Dos modelos tienen el mismo nombre de archivo: renombra uno al exportarlo.")
    index = {"modelos": cards, "limites": asdict(limits)}
    (out / "modelos.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def main() -> None:
    parser = SpanishParser(prog="python -m helpers.serving.webpage",
                           description="Construye la página web del cuaderno 09.")
    parser.add_argument("models", nargs="+", help="modelos .onnx o sus fichas .modelo.json")
    parser.add_argument("--salida", default="pagina", help="carpeta de la página (se reemplaza)")
    parser.add_argument("--runtime", help="carpeta dist de onnxruntime-web (por defecto, la de ./node_modules)")
    args = parser.parse_args()
    try:
        out = build_page(args.models, args.salida, args.runtime)
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(str(error)) from None
    print(f"Página lista en {out}/: sírvela con `python -m http.server --directory {out} 8001`.")


if __name__ == "__main__":
    main()
