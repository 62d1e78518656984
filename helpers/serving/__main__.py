"""Arranca la API: ``python -m helpers.serving models/moda.onnx --port 8000``."""
from __future__ import annotations

import argparse

from helpers.serving.preprocess import Limits


def main() -> None:
    parser = argparse.ArgumentParser(description="Sirve un modelo ONNX de Fashion-MNIST por HTTP.")
    parser.add_argument("model", help="archivo .onnx (con su .clases.json al lado)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--max-bytes", type=int, default=Limits.max_bytes)
    parser.add_argument("--max-pixels", type=int, default=Limits.max_pixels)
    args = parser.parse_args()

    import uvicorn

    from helpers.serving.api import create_app
    from helpers.serving.classifier import OnnxClassifier

    app = create_app(OnnxClassifier(args.model), Limits(args.max_bytes, args.max_pixels))
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
