"""La imagen de contenedor de la API usa las mismas versiones que el curso y arranca la API."""
import re

from tools.course import ROOT

DEPLOY = ROOT / "deploy"


def pins(path):
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", path.read_text(), re.M))


def test_container_requirements_are_pinned_like_the_course():
    course, container = pins(ROOT / "requirements.txt"), pins(DEPLOY / "requirements-api.txt")
    assert {"onnxruntime", "fastapi", "uvicorn", "python-multipart", "pillow", "numpy"} <= set(container)
    assert {name: course.get(name) for name in container} == container
    assert not {"tensorflow", "torch", "keras"} & set(container)  # la API no los necesita


def test_dockerfile_runs_the_course_api_on_the_platform_port():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY deploy/requirements-api.txt" in dockerfile and "COPY helpers/ helpers/" in dockerfile
    assert "python -m helpers.serving modelo/*.modelo.json --host 0.0.0.0 --port ${PORT}" in dockerfile
    assert "ENV OPENBLAS_NUM_THREADS=1" in dockerfile
    assert "USER nobody" in dockerfile
