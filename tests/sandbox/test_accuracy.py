from sandbox.accuracy import MISSING, macro_f1, score


def key(n: int):
    return ("github", "review_submitted", str(n), "p0001")


def test_perfect_prediction_scores_one():
    truth = {key(1): "code_review", key(2): "launch"}
    scores = score(truth, dict(truth))
    assert [s.f1 for s in scores] == [1.0, 1.0]
    assert macro_f1(scores) == 1.0


def test_missing_activity_costs_recall_and_extra_costs_precision():
    # GIVEN two truth reviews, one not produced, and one produced event not in the truth
    truth = {key(1): "code_review", key(2): "code_review"}
    predicted = {key(1): "code_review", key(3): "code_review"}
    # WHEN scored
    (review,) = score(truth, predicted)
    # THEN recall and precision are both halved
    assert review.recall == 0.5
    assert review.precision == 0.5
    assert MISSING not in {s.category for s in score(truth, predicted)}


def test_misclassification_counts_against_both_categories():
    truth = {key(1): "incident_response", key(2): "launch"}
    predicted = {key(1): "launch", key(2): "launch"}
    by_cat = {s.category: s for s in score(truth, predicted)}
    assert by_cat["incident_response"].recall == 0.0
    assert by_cat["launch"].precision == 0.5
    assert round(macro_f1(list(by_cat.values())), 3) == round((0 + 2 / 3) / 2, 3)
