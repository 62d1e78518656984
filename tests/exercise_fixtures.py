"""Lo que copia una pista de su solución, para las pruebas de que las pistas orientan sin resolver."""
import re


def longest_shared_code(hint: str, solution: str) -> int:
    """Cuántos símbolos seguidos de la solución (nombres, números, signos) copia la pista."""
    def symbols(text):
        return re.findall(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|[^\sA-Za-z_0-9…]", text)
    hint_symbols, solution_symbols = symbols(hint), symbols(solution)
    longest, previous = 0, [0] * (len(solution_symbols) + 1)
    for a in hint_symbols:
        current = [0] * (len(solution_symbols) + 1)
        for j, b in enumerate(solution_symbols, start=1):
            if a == b:
                current[j] = previous[j - 1] + 1
                longest = max(longest, current[j])
        previous = current
    return longest
