"""Scores classified work events against the sandbox's ground truth.

An activity is identified by (source, activity_type, object_id, person_id). A truth
activity the pipeline did not produce counts against recall of its true category; a
produced activity that is not in the truth counts against precision of the category
it was given.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

Key = tuple[str, str, str, str]
MISSING = "(missing)"


@dataclass(frozen=True)
class CategoryScore:
    category: str
    support: int  # truth activities of this category
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(truth: dict[Key, str], predicted: dict[Key, str]) -> list[CategoryScore]:
    """Per-category scores over the categories that occur in the truth."""
    support = Counter(truth.values())
    predicted_counts = Counter(predicted.values())
    hits = Counter(cat for key, cat in truth.items() if predicted.get(key, MISSING) == cat)
    return [CategoryScore(cat, support[cat], predicted_counts[cat], hits[cat]) for cat in sorted(support)]


def macro_f1(scores: list[CategoryScore]) -> float:
    return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


def report(scores: list[CategoryScore], truth: dict[Key, str], predicted: dict[Key, str]) -> str:
    lines = [f"{'category':<22} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8} {'predicted':>9}"]
    for s in scores:
        lines.append(
            f"{s.category:<22} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.support:>8} {s.predicted:>9}"
        )
    missing = sum(1 for key in truth if key not in predicted)
    extra = sum(1 for key in predicted if key not in truth)
    lines.append(f"activities: truth {len(truth)}, produced {len(predicted)}, missing {missing}, not in truth {extra}")
    lines.append(f"macro-F1: {macro_f1(scores):.3f}")
    return "\n".join(lines)
