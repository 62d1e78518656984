"""`import helpers` es ligero: no carga TensorFlow, Keras ni PyTorch."""
import subprocess
import sys

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


def test_import_helpers_loads_no_framework():
    _, loaded = run_probe([])
    assert loaded == ""


def test_every_submodule_imports_without_frameworks():
    modules = ["helpers.config", "helpers.session", "helpers.exercises", "helpers.conv",
               "helpers.images", "helpers.plots", "helpers.datasets"]
    _, loaded = run_probe(modules)
    assert loaded == "", f"un submódulo importa {loaded} al cargarse"
