"""Arranca la API: ``python -m helpers.serving models/moda.onnx --port 8000``."""
from __future__ import annotations

from helpers.cli import SpanishParser
from helpers.serving.preprocess import Limits


def main() -> None:
    parser = SpanishParser(prog="python -m helpers.serving", description="Sirve un modelo ONNX del curso por HTTP.")
    parser.add_argument("model", help="archivo .onnx con su ficha .modelo.json al lado, o la ficha")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--max-bytes", type=int, default=Limits.max_bytes)
    parser.add_argument("--max-pixels", type=int, default=Limits.max_pixels)
    parser.add_argument("--max-side", type=int, default=Limits.max_side)
    parser.add_argument("--workers", type=int, default=2, help="predicciones a la vez (hilos)")
    parser.add_argument("--queue", type=int, default=32, help="predicciones en espera antes de responder 503")
    args = parser.parse_args()

    import uvicorn

    from helpers.serving.api import create_app
    from helpers.serving.classifier import OnnxClassifier

    app = create_app(OnnxClassifier(args.model), Limits(args.max_bytes, args.max_pixels, args.max_side),
                     workers=args.workers, queue=args.queue)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
