"""B-cubed precision, recall and F1 of a clustering against gold labels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from newsdesk.errors import ConfigError


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """(precision, recall, F1) averaged over items; both mappings must hold the same items."""
    if set(gold) != set(predicted):
        raise ConfigError("bcubed: gold and predicted label different items")
    if not gold:
        raise ConfigError("bcubed: no items to score")
    pairs = Counter((gold[i], predicted[i]) for i in gold)
    gold_sizes = Counter(gold.values())
    pred_sizes = Counter(predicted.values())
    precision = recall = 0.0
    for (g, p), n in pairs.items():  # every item of a (gold, predicted) cell scores the same
        precision += n * n / pred_sizes[p]
        recall += n * n / gold_sizes[g]
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
