"""Registro único de los datos y pesos que descarga el curso: direcciones, sumas oficiales y licencias.

Cada entrada (``Resource``) agrupa los archivos de un conjunto de datos (o de unos pesos
preentrenados) bajo un nombre, que es también el nombre de su carpeta en la caché
(``data/<nombre>/``) y en la réplica sin conexión (``$CNN_MIRROR/<nombre>/``).
Para añadir pesos preentrenados basta con otra entrada con sus ``RemoteFile``.

Las sumas van en la forma ``"md5:…"`` o ``"sha256:…"`` y son las que publica la fuente
oficial (o fija una biblioteca de referencia como torchvision). ``"sha256-prefix:…"`` es el
comienzo del SHA256, lo que publica PyTorch en el nombre de sus archivos de pesos
(``mobilenet_v2-b0353104.pth``) y lo que comprueba ``torch.hub``. ``None`` significa que no hay
suma oficial publicada: entonces se confía en el primer uso (``helpers.datasets.trust``): la
primera descarga se acepta, su SHA256 se anota en la caché y cada uso posterior se compara
con él.
"""
from __future__ import annotations

from dataclasses import dataclass

from helpers.datasets.errors import UnknownDatasetError

__all__ = ["REGISTRY", "RemoteFile", "Resource", "get_resource", "list_datasets"]


@dataclass(frozen=True)
class RemoteFile:
    """Un archivo descargable: nombre canónico, direcciones (en orden de preferencia) y suma oficial.

    Ejemplo:
        >>> f = RemoteFile("a.gz", ("https://example.org/a.gz",), "md5:" + "0" * 32)
        >>> f.name, f.url
        ('a.gz', 'https://example.org/a.gz')
    """

    name: str
    urls: tuple[str, ...]
    known_hash: str | None

    @property
    def url(self) -> str:
        """Dirección principal del archivo."""
        return self.urls[0]


@dataclass(frozen=True)
class Resource:
    """Conjunto de datos (o pesos) del registro, con su descripción, licencia y cita.

    Ejemplo:
        >>> get_resource("cifar10").file("cifar-10-python.tar.gz").known_hash
        'md5:c58f30108f718f92721af3b95e74349a'
    """

    name: str
    description: str
    license: str
    citation: str
    homepage: str
    files: tuple[RemoteFile, ...]

    def file(self, filename: str) -> RemoteFile:
        """Devuelve el archivo ``filename`` de esta entrada o explica cuáles existen."""
        for remote in self.files:
            if remote.name == filename:
                return remote
        known = ", ".join(remote.name for remote in self.files)
        raise UnknownDatasetError(
            f"'{self.name}' no tiene ningún archivo llamado '{filename}'. Archivos conocidos: {known}."
        )


#: Lados de entrada para los que Keras Applications publica pesos de MobileNetV2 (``alpha=1.0``).
KERAS_MOBILENET_V2_SIZES = (96, 128, 160, 192, 224)


def keras_mobilenet_v2_file(image_size: int) -> str:
    """Archivo de pesos de MobileNetV2 (sin cabeza) de Keras Applications para ``image_size`` píxeles.

    Keras publica unos pesos por tamaño de entrada; para un tamaño sin archivo propio usa los
    de 224, como hace ``keras.applications.MobileNetV2``.

    Ejemplo:
        >>> keras_mobilenet_v2_file(160)
        'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5'
        >>> keras_mobilenet_v2_file(100).endswith("_224_no_top.h5")
        True
    """
    rows = image_size if image_size in KERAS_MOBILENET_V2_SIZES else 224
    return f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_{rows}_no_top.h5"

_FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
_PETS_URLS = ("https://thor.robots.ox.ac.uk/~vgg/data/pets/",
              "https://www.robots.ox.ac.uk/~vgg/data/pets/data/")

REGISTRY: dict[str, Resource] = {
    resource.name: resource
    for resource in [
        Resource(
            name="fashion-mnist",
            description="Fashion-MNIST: 60 000 + 10 000 fotos de ropa en gris de 28×28 píxeles, 10 clases.",
            license="MIT (Zalando SE)",
            citation=("Xiao, H., Rasul, K. y Vollgraf, R. (2017). Fashion-MNIST: a Novel Image Dataset "
                      "for Benchmarking Machine Learning Algorithms. arXiv:1708.07747."),
            homepage="https://github.com/zalandoresearch/fashion-mnist",
            files=tuple(
                RemoteFile(name, (_FASHION_URL + name,), f"md5:{md5}")
                for name, md5 in [
                    ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                    ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                    ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
                ]
            ),
        ),
        Resource(
            name="cifar10",
            description="CIFAR-10: 50 000 + 10 000 fotos en color de 32×32 píxeles, 10 clases.",
            license="Sin licencia explícita; de uso libre en investigación y docencia citando a su autor.",
            citation=("Krizhevsky, A. (2009). Learning Multiple Layers of Features from Tiny Images. "
                      "Informe técnico, Universidad de Toronto."),
            homepage="https://www.cs.toronto.edu/~kriz/cifar.html",
            files=(RemoteFile("cifar-10-python.tar.gz",
                              ("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",),
                              "md5:c58f30108f718f92721af3b95e74349a"),),
        ),
        Resource(
            name="cats_and_dogs",
            description=("Gatos y perros: 3000 fotos (1000 + 1000 de entrenamiento, 500 + 500 de "
                         "validación), el subconjunto filtrado de «Dogs vs. Cats»."),
            license=("Fotos del proyecto Asirra (Microsoft Research y Petfinder.com) publicadas en la "
                     "competición «Dogs vs. Cats» de Kaggle; consulta allí sus condiciones de uso."),
            citation=("Elson, J., Douceur, J. R., Howell, J. y Saul, J. (2007). Asirra: A CAPTCHA that "
                      "Exploits Interest-Aligned Manual Image Categorization. ACM CCS."),
            homepage="https://www.kaggle.com/c/dogs-vs-cats",
            files=(RemoteFile("cats_and_dogs_filtered.zip",
                              ("https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",),
                              None),),
        ),
        Resource(
            name="oxford_pets",
            description=("Oxford-IIIT Pet: unas 7400 fotos de 37 razas de gatos y perros, con el "
                         "recuadro de la cabeza de las fotos de trainval (de ahí salen las caras "
                         "de petfaces())."),
            license="CC BY-SA 4.0",
            citation=("Parkhi, O. M., Vedaldi, A., Zisserman, A. y Jawahar, C. V. (2012). "
                      "Cats and Dogs. IEEE CVPR."),
            homepage="https://www.robots.ox.ac.uk/~vgg/data/pets/",
            files=(
                RemoteFile("images.tar.gz", tuple(base + "images.tar.gz" for base in _PETS_URLS),
                           "md5:5c4f3ee8e5d25df40f4fd59a7f44e54c"),
                RemoteFile("annotations.tar.gz", tuple(base + "annotations.tar.gz" for base in _PETS_URLS),
                           "md5:95a8c909bbe2e81eed6a22bccdf3f68f"),
            ),
        ),
        Resource(
            name="mobilenet_v2_imagenet",
            description=("Pesos de MobileNetV2 entrenada en ImageNet-1k: torchvision (completa) y "
                         "Keras Applications (sin la capa de clasificación)."),
            license="BSD-3-Clause (torchvision) y Apache 2.0 (Keras Applications)",
            citation=("Sandler, M., Howard, A., Zhu, M., Zhmoginov, A. y Chen, L.-C. (2018). "
                      "MobileNetV2: Inverted Residuals and Linear Bottlenecks. IEEE CVPR."),
            homepage="https://pytorch.org/vision/stable/models/mobilenetv2.html",
            files=(
                RemoteFile("mobilenet_v2-b0353104.pth",
                           ("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth",),
                           "sha256-prefix:b0353104"),
                *(RemoteFile(keras_mobilenet_v2_file(size),
                             ("https://storage.googleapis.com/tensorflow/keras-applications/"
                              f"mobilenet_v2/{keras_mobilenet_v2_file(size)}",),
                             None)
                  for size in KERAS_MOBILENET_V2_SIZES),
            ),
        ),
    ]
}


def get_resource(name: str) -> Resource:
    """Devuelve la entrada ``name`` del registro o explica cuáles existen.

    Ejemplo:
        >>> get_resource("fashion-mnist").license
        'MIT (Zalando SE)'
    """
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UnknownDatasetError(
            f"No conozco el conjunto de datos '{name}'. Conjuntos disponibles: {known}."
        ) from None


def list_datasets() -> list[dict[str, str]]:
    """Lista los conjuntos del registro con su descripción en español y su licencia.

    Ejemplo:
        >>> [d["name"] for d in list_datasets()][:2]
        ['fashion-mnist', 'cifar10']
    """
    return [{"name": r.name, "description": r.description, "license": r.license}
            for r in REGISTRY.values()]
