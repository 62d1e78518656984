"""Figuras de matplotlib que Jupyter muestra una sola vez, aunque sean el valor de la celda.

Las funciones de ``helpers.plots`` crean sus figuras con esta clase: la figura aparece una
vez tanto si la llamada es la última línea de la celda como si se asigna a una variable.

Ejemplo:
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(FigureClass=CourseFigure)
    >>> isinstance(fig, CourseFigure)
    True
    >>> plt.close(fig)
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

__all__ = ["CourseFigure"]


class CourseFigure(Figure):
    """Figura de matplotlib que Jupyter muestra una sola vez aunque sea el valor de la celda."""

    def _ipython_display_(self) -> None:
        """Muestra la figura y la retira de pyplot, para que el final de la celda no la repita."""
        from IPython import get_ipython
        from IPython.display import display

        plt.close(self)
        bundle, metadata = {}, {}
        for mime, formatter in get_ipython().display_formatter.formatters.items():
            data = formatter(self)
            if isinstance(data, tuple):  # p. ej., PNG «retina»: (datos, metadatos)
                data, metadata[mime] = data
            if data is not None:
                bundle[mime] = data
        display(bundle, raw=True, metadata=metadata)
