"""Ejercicios autocorregibles del curso, al estilo de Kaggle Learn.

Cada cuaderno tiene su módulo (``helpers.exercises.nb02``…) con un objeto por
ejercicio. En el cuaderno:

    >>> from helpers.exercises import nb00 as ex   # doctest: +SKIP
    >>> ex.fast_mode_epochs.check(EPOCHS)          # doctest: +SKIP
    >>> ex.fast_mode_epochs.hint()                 # doctest: +SKIP
    >>> ex.fast_mode_epochs.solution()             # doctest: +SKIP
"""
from helpers.exercises.core import Exercise, Feedback, Incorrect, NotAttempted, ____

__all__ = ["____", "Exercise", "Feedback", "Incorrect", "NotAttempted"]
