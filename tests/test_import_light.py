"""`import helpers` es ligero: ni él ni ninguno de sus módulos carga TensorFlow, Keras ni PyTorch."""
import pkgutil
import subprocess
import sys

import helpers

HEAVY = ("tensorflow", "keras", "torch", "torchvision")
PROBE = """
import sys, time
start = time.perf_counter()
import helpers
elapsed = time.perf_counter() - start
modules = {names}
for name in modules:
    __import__(name)
loaded = [m for m in {heavy} if m in sys.modules]
print(f"{{elapsed:.3f}}", ",".join(loaded))
"""


def run_probe(modules: list[str]) -> tuple[float, str]:
    code = PROBE.format(names=modules, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, _, loaded = out.stdout.strip().partition(" ")
    return float(seconds), loaded


def every_helpers_module() -> list[str]:
    """Todos los módulos del paquete, también los que se añadan mañana."""
    return sorted(info.name for info in pkgutil.walk_packages(helpers.__path__, "helpers.")
                  if not info.name.endswith("__main__"))


def test_import_helpers_loads_no_framework():
    _, loaded = run_probe([])
    assert loaded == ""


def test_the_walk_finds_the_packages_modules():
    modules = every_helpers_module()
    assert {"helpers.serving.api", "helpers.datasets.fetch", "helpers.exercises.core"} <= set(modules)


def test_every_module_imports_without_frameworks():
    _, loaded = run_probe(every_helpers_module())
    assert loaded == "", f"algún módulo de helpers importa {loaded} al cargarse"
