"""La API REST del modelo (FastAPI): ``GET /salud`` y ``POST /predecir`` con una imagen.

Toda respuesta de error es JSON ``{"error": "…"}`` con un código 4xx, y el servidor sigue
atendiendo después: un archivo que no es una imagen, una imagen cortada, demasiado grande
(en bytes o en píxeles) o una petición sin el campo ``imagen``.
"""
# Sin «from __future__ import annotations»: FastAPI lee los tipos de los parámetros al definirlos.

from helpers.serving.classifier import OnnxClassifier
from helpers.serving.preprocess import ImageRejected, Limits, prepare_image

__all__ = ["create_app"]


def create_app(classifier: OnnxClassifier, limits: Limits = Limits()):
    """Crea la aplicación FastAPI que sirve ``classifier``.

    Ejemplo:
        >>> app = create_app(OnnxClassifier("models/moda.onnx"))   # doctest: +SKIP
        >>> # uvicorn.run(app, host="127.0.0.1", port=8000)
    """
    from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    app = FastAPI(title="Curso CNN · clasificador de Fashion-MNIST",
                  description="Envía una foto de una prenda y recibe las clases más probables.")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        missing = [".".join(map(str, e["loc"][1:])) for e in error.errors() if e["type"] == "missing"]
        message = (f"Falta el campo {', '.join(missing)} en la petición: envía la foto como "
                   "multipart/form-data en el campo «imagen»." if missing
                   else "Petición no válida: " + "; ".join(e["msg"] for e in error.errors()))
        return JSONResponse({"error": message}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code)

    @app.get("/salud")
    def health() -> dict:
        """Indica que el servidor está vivo y qué modelo sirve."""
        return {"estado": "ok", "modelo": classifier.path.name, "clases": len(classifier.class_names)}

    @app.post("/predecir")
    async def predict(imagen: UploadFile = File(...),
                      k: int = Query(3, ge=1, le=len(classifier.class_names))) -> dict:
        """Las ``k`` clases más probables de la imagen enviada en el campo ``imagen``."""
        data = await imagen.read(limits.max_bytes + 1)
        try:
            image = prepare_image(data, limits)
        except ImageRejected as error:
            raise HTTPException(status_code=error.status, detail=str(error)) from None
        return {"predicciones": [{"clase": name, "probabilidad": round(p, 6)}
                                 for name, p in classifier.top_k(image, k)]}

    return app
