# Órdenes del curso. Las dos principales (ver README):
#   make lab    crea el entorno si falta y abre JupyterLab con el curso
#   make test   crea el entorno si falta y ejecuta todas las pruebas (cuadernos en modo rápido)
# Ambas son idempotentes: si requirements.txt y pyproject.toml no cambian, no reinstalan nada.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.instalado
MIRROR ?= $(CURDIR)/.mirror

export TF_CPP_MIN_LOG_LEVEL ?= 3
export KERAS_BACKEND ?= tensorflow
export PYTHONHASHSEED ?= 0

# Las órdenes que miden exigen su argumento antes de instalar o ejecutar nada:
# $(call require,OBJETIVO,VARIABLE,ejemplo) se detiene con un error si se pide OBJETIVO sin VARIABLE.
require = $(if $(filter $(1),$(MAKECMDGOALS)),$(if $(strip $($(2))),,$(error Falta $(2), el argumento de «make $(1)»; por ejemplo: $(3))))
$(call require,bench,NB,make bench NB=04)
$(call require,ablation,EPOCHS,make ablation EPOCHS=6)
$(call require,bench-api,MODEL,make bench-api MODEL=solutions/models/09/moda_keras.onnx)
$(call require,classroom,DIR,make classroom DIR=/media/usb/aula)
$(call require,report,DIR,make report DIR=entregas)

.PHONY: lab test lint test-unit test-notebooks test-newest install web chromium mirror classroom notebooks links clean-outputs bench bench-api ablation site

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Como root (contenedores), JupyterLab exige --allow-root. .venv/bin va en el PATH para que el
# kernel encuentre los programas del entorno (la orden mágica %tensorboard busca `tensorboard`).
lab: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab --notebook-dir=$(CURDIR) $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00_como_usar_el_curso.ipynb

PYTEST := CNN_FAST=$${CNN_FAST-1} CNN_STRICT_CHECKS=1 CNN_HEADLESS=1 $(PY) -m pytest

test: $(STAMP) web lint
	$(PYTEST)

# Estilo del código Python (configuración en pyproject.toml).
lint: $(STAMP)
	$(PY) -m ruff check helpers tools tests conftest.py

# Capas de las pruebas: la rápida (helpers, herramientas, doctests; sin cargar TensorFlow ni
# PyTorch) y la de los cuadernos. `make test` ejecuta todas.
test-unit: $(STAMP)
	$(PYTEST) -m "not notebook and not integration and not frameworks"

test-notebooks: $(STAMP)
	$(PYTEST) -m notebook

# Los cuadernos del estudiante con lo más nuevo de PyPI (TensorFlow, Keras, PyTorch…), en el Python
# de Colab y Kaggle, cada uno solo en una carpeta vacía y en modo rápido (ver CONTRIBUTING.md).
# Descarga varios GB la primera vez; no forma parte de `make test`.
test-newest: $(STAMP)
	CNN_MIRROR=$(MIRROR) $(PY) -m tools.newest

# La página web del cuaderno 09: ONNX Runtime Web y Playwright desde npm, Chromium de Debian.
# Si algo no se puede instalar, se avisa aquí y la prueba de la página falla diciendo por qué.
WEB_STAMP := web/node_modules/.instalado
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

web: $(WEB_STAMP) chromium

$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "Aviso: falta Node.js (npm); la prueba de la página fallará."; exit 0; } && \
		cd web && npm ci --no-audit --no-fund && touch node_modules/.instalado

chromium:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; } || \
		echo "Aviso: no he podido instalar Chromium (paquete chromium de Debian); la prueba de la página fallará."

# Sitio web estático del curso en build/sitio (sin CDN: MathJax sale de web/node_modules). Usa las
# ejecuciones de make bench (benchmarks/ejecutado_NN.ipynb) y ejecuta en modo rápido el resto.
site: $(STAMP) web
	$(PY) -m tools.site

# Carga de la API con una mezcla de peticiones buenas y malas, con 8 y 32 clientes (anota en
# benchmarks/api.md): make bench-api MODEL=solutions/models/09/moda_keras.onnx
bench-api: $(STAMP)
	$(PY) -m tools.api_load $(MODEL)

# Mide un cuaderno en modo completo y lo anota en benchmarks/results.md: make bench NB=04
# Sin las fotos de Oxford-IIIT Pet (07a–08b), solo tiempos por época con datos sustitutos al tamaño
# oficial y 2 épocas por fase (o EPOCAS=N); su cuaderno ejecutado no va al sitio:
# make bench NB=08a SUSTITUTOS=1
bench: $(STAMP)
	$(PY) -m tools.bench $(NB) $(if $(SUSTITUTOS),--sustitutos $(if $(EPOCAS),--epocas $(EPOCAS)) \
		--output build/sustitutos/ejecutado_$(NB).ipynb,--output benchmarks/ejecutado_$(NB).ipynb)

# Estudio de ablación de la receta de 05b (una fila por ingrediente quitado, media y dispersión
# entre semillas): make ablation EPOCHS=8 SEEDS=5
ablation: $(STAMP)
	$(PY) -m tools.ablation --epochs $(EPOCHS) --seeds $(or $(SEEDS),1)

# Réplica de los datos para un aula sin conexión (descarga de internet): make mirror MIRROR=DIR
mirror: $(STAMP)
	$(PY) -m helpers.datasets replica $(MIRROR)

# Aula sin internet (ver docs/guia_docente.md): réplica de los datos, ruedas del entorno fijado para este
# tipo de equipo (o PLATFORMS="linux windows"), ONNX Runtime Web (npm, sin Chromium) y el curso comprimido,
# con sus tamaños:
# make classroom DIR=/media/usb/aula. En cada equipo del aula: python -m tools.classroom install DIR
classroom: $(STAMP) $(WEB_STAMP)
	$(PY) -m tools.classroom prepare $(DIR) $(if $(PLATFORMS),--plataforma $(PLATFORMS))

# Regenera los cuadernos del estudiante (notebooks/) a partir de las soluciones (solutions/).
notebooks: $(STAMP)
	$(PY) -m tools.make_learner_notebooks

# Reescribe insignias y enlaces a partir de [tool.curso-cnn] repository en pyproject.toml.
links: $(STAMP)
	$(PY) -m tools.sync_links

# Borra salidas de todos los cuadernos (también lo comprueba una prueba).
clean-outputs: $(STAMP)
	$(VENV)/bin/nbstripout solutions/*.ipynb notebooks/*.ipynb

# Informe de la clase a partir de los cuadernos guardados de los estudiantes (sin ejecutarlos):
# make report DIR=entregas escribe informe_clase.html e informe_clase.csv (ver docs/guia_docente.md).
.PHONY: report
report: $(STAMP)
	$(PY) -m tools.class_report $(DIR) --html informe_clase.html --csv informe_clase.csv
