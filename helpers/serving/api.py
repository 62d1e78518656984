"""La API REST del modelo (FastAPI): ``GET /salud``, ``POST /predecir`` y su documentación en ``/docs``.

Promesas, comprobadas por las pruebas (también con un *fuzzer*):

- toda respuesta de error es JSON ``{"error": "…"}`` en español, con 400 (petición o imagen
  dañada), 413 (demasiado grande), 415 (no es una imagen o no es ``multipart/form-data``), 422
  (parámetros no válidos o imagen con valores no finitos) o 503 (servidor lleno, con
  ``Retry-After``); nunca un 500 por culpa de la entrada;
- el trabajo de CPU (decodificar y predecir) va a un grupo de hilos: ``/salud`` responde al
  momento aunque haya predicciones en curso;
- como mucho ``workers`` predicciones a la vez y ``queue`` esperando; la siguiente recibe 503.
"""
# Sin «from __future__ import annotations»: FastAPI lee los tipos de los parámetros al definirlos.

import asyncio
import html
import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from helpers.serving.classifier import OnnxClassifier
from helpers.serving.preprocess import ImageRejected, Limits

__all__ = ["create_app"]

MULTIPART_OVERHEAD = 16_384  # bytes de cabeceras y separadores multipart además de la imagen
RETRY_AFTER_SECONDS = 1

_FRAMEWORK_MESSAGES = {
    400: "No he podido leer la petición: envía la foto como multipart/form-data en el campo «imagen».",
    404: "Esa dirección no existe: las rutas son GET /salud y POST /predecir (documentación en /docs).",
    405: "Método no permitido en esta ruta: GET /salud, POST /predecir.",
}


def _error_body(message: str) -> bytes:
    return json.dumps({"error": message}, ensure_ascii=False).encode()


class _BodyLimit:
    """Middleware ASGI: ``POST /predecir`` solo ``multipart/form-data``, y ningún ``POST`` pasa de ``max_body`` bytes.

    Decide con las cabeceras antes de leer nada y, si el cliente no declara la longitud,
    cuenta lo que llega y corta en cuanto se pasa.
    """

    def __init__(self, app, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if scope["path"] == "/predecir" and not content_type.startswith("multipart/form-data"):
            return await _send_error(send, 415, "La petición debe ser multipart/form-data, con la foto "
                                                "en el campo «imagen».")
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared and (not declared.isdigit() or int(declared) > self.max_body):
            return await _send_error(send, 413, self._too_large())
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                from starlette.exceptions import HTTPException

                raise HTTPException(413, self._too_large())
            return message

        return await self.app(scope, counting_receive, send)

    def _too_large(self) -> str:
        return f"La petición ocupa más de {self.max_body} bytes: envía una imagen más pequeña."


async def _send_error(send, status: int, message: str) -> None:
    body = _error_body(message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _validation_message(errors: list[dict], n_classes: int) -> str:
    """Un mensaje en español para los errores de validación de FastAPI (que vienen en inglés)."""
    fields = {str(error["loc"][-1]) for error in errors if error.get("loc")}
    if "imagen" in fields:
        if any(error["type"] == "missing" for error in errors):
            return ("Falta el campo imagen en la petición: envía la foto como multipart/form-data en "
                    "el campo «imagen».")
        return "El campo «imagen» debe ser un archivo (multipart/form-data), no un texto."
    if "k" in fields:
        return f"Petición no válida: el parámetro «k» debe ser un número entero entre 1 y {n_classes}."
    return "Petición no válida: " + ", ".join(sorted(fields)) + " no tiene un valor aceptable."


def _docs_page(schema: dict) -> str:
    """La documentación de la API en HTML, sin nada de internet (Swagger UI vendría de un CDN)."""
    parts = [f"<h1>{html.escape(schema['info']['title'])}</h1>",
             f"<p>{html.escape(schema['info'].get('description', ''))}</p>",
             '<p>Esquema completo (OpenAPI): <a href="/openapi.json">/openapi.json</a>. Todo error '
             'responde <code>{"error": "mensaje en español"}</code>.</p>']
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            parts.append(f"<h2><code>{method.upper()} {html.escape(path)}</code></h2>")
            parts.append(f"<p>{html.escape(operation.get('description') or operation.get('summary', ''))}</p>")
            for parameter in operation.get("parameters", []):
                parts.append(f"<p>Parámetro <code>{html.escape(parameter['name'])}</code> "
                             f"({parameter['in']}): {html.escape(parameter.get('description', ''))}</p>")
            parts.append("<ul>" + "".join(
                f"<li><b>{code}</b>: {html.escape(answer['description'])}</li>"
                for code, answer in operation["responses"].items()) + "</ul>")
    return ('<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Documentación de la API'
            '</title></head><body style="font-family: system-ui, sans-serif; max-width: 50rem; '
            'margin: 2rem auto">' + "".join(parts) + "</body></html>")


def create_app(classifier: OnnxClassifier, limits: Limits = Limits(), workers: int = 2, queue: int = 32):
    """Crea la aplicación FastAPI que sirve ``classifier``.

    ``workers`` predicciones a la vez (en hilos, fuera del bucle de eventos) y ``queue`` más
    esperando; con el servidor lleno, 503 y ``Retry-After``.

    Ejemplo:
        >>> app = create_app(OnnxClassifier("models/moda.onnx"))   # doctest: +SKIP
        >>> # uvicorn.run(app, host="127.0.0.1", port=8000)
    """
    from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse
    from pydantic import BaseModel, Field
    from starlette.exceptions import HTTPException as StarletteHTTPException

    class Error(BaseModel):
        error: str = Field(description="Qué ha fallado y qué hacer, en español.")

    class Prediction(BaseModel):
        clase: str
        probabilidad: float = Field(ge=0, le=1)

    class Predictions(BaseModel):
        predicciones: list[Prediction]

    class Health(BaseModel):
        estado: str
        modelo: str
        clases: int

    def documented(description: str) -> dict:
        return {"model": Error, "description": description}

    n_classes = len(classifier.class_names)
    executor = ThreadPoolExecutor(workers, thread_name_prefix="prediccion")
    in_flight = 0  # predicciones en curso o esperando; solo lo toca el bucle de eventos

    app = FastAPI(title="Curso CNN · clasificador de imágenes",
                  description=f"Envía una foto y recibe las clases más probables ({classifier.path.name}).",
                  docs_url=None, redoc_url=None)
    app.add_middleware(_BodyLimit, max_body=limits.max_bytes + MULTIPART_OVERHEAD)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        return JSONResponse({"error": _validation_message(error.errors(), n_classes)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        own = isinstance(error.detail, str) and error.status_code in (413, 415, 422, 503)
        message = error.detail if own else _FRAMEWORK_MESSAGES.get(
            error.status_code, f"La petición no se puede atender (código {error.status_code}).")
        return JSONResponse({"error": message}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        return JSONResponse({"error": "Error interno del servidor; la petición no se ha podido atender."},
                            status_code=500)

    @app.get("/salud", response_model=Health)
    def health() -> dict:
        """Indica que el servidor está vivo y qué modelo sirve."""
        return {"estado": "ok", "modelo": classifier.path.name, "clases": n_classes}

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> str:
        return _docs_page(app.openapi())

    def work(data: bytes, k: int) -> list[dict]:
        top = classifier.top_k(classifier.prepare(data, limits), k)
        if not all(np.isfinite(p) for _, p in top):
            raise RuntimeError("el modelo dio probabilidades no finitas")
        return [{"clase": name, "probabilidad": round(p, 6)} for name, p in top]

    @app.post("/predecir", response_model=Predictions, responses={
        400: documented("Petición o imagen vacía, dañada o incompleta."),
        413: documented("La imagen pasa de los límites de bytes, de píxeles o de lado."),
        415: documented("No es una imagen que se sepa leer, o la petición no es multipart/form-data."),
        422: documented("Parámetros no válidos (falta «imagen», «k» fuera de rango) o imagen con "
                        "valores no finitos."),
        503: documented("El servidor está lleno; reintenta tras los segundos de la cabecera Retry-After."),
    })
    async def predict(imagen: UploadFile = File(..., description="La foto (JPEG, PNG, WebP, GIF, BMP, TIFF…)."),
                      k: int = Query(3, ge=1, le=n_classes, description="Cuántas clases devolver.")) -> dict:
        """Las ``k`` clases más probables de la imagen enviada en el campo ``imagen``."""
        nonlocal in_flight
        if in_flight >= workers + queue:
            raise HTTPException(503, "El servidor está atendiendo demasiadas predicciones; "
                                     f"vuelve a intentarlo en {RETRY_AFTER_SECONDS} s.",
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        in_flight += 1
        try:
            data = await imagen.read(limits.max_bytes + 1)
            predictions = await asyncio.get_running_loop().run_in_executor(executor, work, data, k)
        except ImageRejected as error:
            return JSONResponse({"error": str(error)}, status_code=error.status)
        finally:
            in_flight -= 1
        return {"predicciones": predictions}

    return app
