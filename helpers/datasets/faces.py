"""Caras de mascotas: recortar las cabezas anotadas (PASCAL VOC) de Oxford-IIIT Pet, una carpeta por raza.

Oxford-IIIT Pet publica en ``annotations/xmls/<Raza>_<n>.xml`` el recuadro de la cabeza de
cada foto de ``trainval`` (no de ``test``, y faltan unas pocas de ``trainval``), en formato
PASCAL VOC. Las coordenadas de VOC cuentan los píxeles **desde 1** y el recuadro **incluye**
sus dos extremos: el píxel de arriba a la izquierda de la foto es ``(1, 1)`` y
``xmin=1, xmax=3`` son 3 columnas. En Pillow (desde 0, extremo final excluido) ese recuadro
es ``(xmin - 1, ymin - 1, xmax, ymax)``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from helpers.datasets.folders import IMAGE_SUFFIXES

__all__ = ["FaceReport", "HeadBox", "crop_heads", "pillow_box", "read_head_boxes"]


@dataclass(frozen=True)
class HeadBox:
    """Recuadro de una cabeza en coordenadas de PASCAL VOC (desde 1, extremos incluidos)."""

    xmin: int
    ymin: int
    xmax: int
    ymax: int


@dataclass
class FaceReport:
    """Qué salió de ``crop_heads``: caras por raza y lo que se dejó fuera, con el motivo.

    Ejemplo:
        >>> print(FaceReport(faces={"pug": 2, "boxer": 1}, outside=["pug_5"]).summary())
        3 caras recortadas, de 2 razas (recuadros de la cabeza de annotations/xmls).
          - Dejo fuera 1 recuadros que se salen de su foto: pug_5
    """

    faces: dict[str, int] = field(default_factory=dict)
    outside: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    without_box: int = 0

    def summary(self) -> str:
        """Resumen en español con los recuentos."""
        lines = [f"{sum(self.faces.values())} caras recortadas, de {len(self.faces)} razas "
                 "(recuadros de la cabeza de annotations/xmls)."]
        if self.without_box:
            lines.append(f"  - {self.without_box} fotos no tienen recuadro de la cabeza en las "
                         "anotaciones oficiales (las de la lista test.txt y unas pocas de "
                         "trainval.txt): no dan cara.")
        if self.outside:
            lines.append(f"  - Dejo fuera {len(self.outside)} recuadros que se salen de su foto: "
                         + ", ".join(self.outside))
        if self.unreadable:
            lines.append(f"  - Dejo fuera {len(self.unreadable)} anotaciones con la foto ausente o "
                         "imposible de decodificar (o el xml dañado): " + ", ".join(self.unreadable))
        return "\n".join(lines)


def read_head_boxes(xml_path: Path) -> list[HeadBox]:
    """Lee los recuadros ``object/bndbox`` de un archivo PASCAL VOC (tal cual, desde 1).

    Ejemplo:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     p = Path(tmp) / "Abyssinian_1.xml"
        ...     _ = p.write_text("<annotation><object><bndbox><xmin>333</xmin><ymin>72</ymin>"
        ...                      "<xmax>425</xmax><ymax>158</ymax></bndbox></object></annotation>")
        ...     read_head_boxes(p)
        [HeadBox(xmin=333, ymin=72, xmax=425, ymax=158)]
    """
    root = ET.parse(xml_path).getroot()
    return [HeadBox(*(int(float(box.findtext(tag, ""))) for tag in ("xmin", "ymin", "xmax", "ymax")))
            for box in root.iter("bndbox")]


def pillow_box(box: HeadBox, width: int, height: int) -> tuple[int, int, int, int] | None:
    """Convierte ``box`` (VOC) al recuadro de ``Image.crop``; ``None`` si se sale de la foto.

    Ejemplo:
        >>> pillow_box(HeadBox(1, 1, 3, 2), width=10, height=10)   # 3 columnas y 2 filas
        (0, 0, 3, 2)
        >>> pillow_box(HeadBox(5, 5, 11, 8), width=10, height=10) is None
        True
    """
    inside = 1 <= box.xmin <= box.xmax <= width and 1 <= box.ymin <= box.ymax <= height
    return (box.xmin - 1, box.ymin - 1, box.xmax, box.ymax) if inside else None


def _breed(stem: str) -> str:
    """Raza de ``<Raza>_<n>``: todo lo anterior al último guion bajo."""
    return stem.rpartition("_")[0]


def crop_heads(breeds_dir: Path, xml_dir: Path, dest: Path) -> FaceReport:
    """Recorta cada cabeza de ``xml_dir`` de su foto en ``breeds_dir/<Raza>/`` y la guarda en ``dest/<Raza>/``.

    Cada recorte es exactamente el recuadro (sin cambiar de tamaño), en RGB y JPEG de calidad
    alta, con el nombre de la foto (``<Raza>_<n>.jpg``; ``<Raza>_<n>-2.jpg``… si hay más de una
    cabeza). Los recuadros que se salen de la foto y las fotos que faltan o no se decodifican
    se cuentan en el informe y se dejan fuera. Se ignoran los ``._*`` de macOS.

    Ejemplo:
        >>> report = crop_heads(Path("razas"), Path("annotations/xmls"), Path("caras"))  # doctest: +SKIP
        >>> print(report.summary())                                                    # doctest: +SKIP
        3671 caras recortadas, de 37 razas (recuadros de la cabeza de annotations/xmls).
    """
    report = FaceReport()
    annotated = set()
    for xml_path in sorted(xml_dir.glob("*.xml")):
        if xml_path.name.startswith("._"):
            continue
        stem = xml_path.stem
        annotated.add(stem)
        breed = _breed(stem)
        try:
            boxes = read_head_boxes(xml_path)
            if not boxes:
                raise ValueError("sin recuadros")
            with Image.open(breeds_dir / breed / f"{stem}.jpg") as opened:
                image = opened.convert("RGB")
        except (OSError, SyntaxError, ValueError, ET.ParseError, Image.DecompressionBombError):
            report.unreadable.append(stem)
            continue
        for index, box in enumerate(boxes, start=1):
            crop = pillow_box(box, *image.size)
            if crop is None:
                report.outside.append(stem if len(boxes) == 1 else f"{stem} ({index})")
                continue
            target = dest / breed / (f"{stem}.jpg" if index == 1 else f"{stem}-{index}.jpg")
            target.parent.mkdir(parents=True, exist_ok=True)
            image.crop(crop).save(target, "JPEG", quality=95, subsampling=0)
            report.faces[breed] = report.faces.get(breed, 0) + 1
    report.without_box = sum(1 for p in breeds_dir.glob("*/*")
                             if p.suffix.lower() in IMAGE_SUFFIXES and p.stem not in annotated)
    report.faces = dict(sorted(report.faces.items()))
    return report
