"""The promotion rules of `make retrain` (assistant/operations/promotion.py), on fixed figures."""
from assistant.operations.promotion import decide, rollback_target, stored_figures, to_delete

TOLERANCES = {"crossval_f1": 0.02, "recall@1": 0.02}
IN_SERVICE = {"crossval_f1": {"fr": 0.85, "lb": 0.85, "all": 0.86},
              "recall@1": {"fr": 0.82, "lb": 0.76, "all": 0.84},
              "heldout_test": {"fr": 0.74}}


def figures(changes=()):
    """The in-service figures with some changed: {("crossval_f1", "lb"): 0.80}."""
    out = {metric: dict(values) for metric, values in IN_SERVICE.items()}
    for (metric, language), value in dict(changes).items():
        out[metric][language] = value
    return out


def test_equal_or_better_figures_promote():
    decision = decide(figures({("crossval_f1", "fr"): 0.90}), IN_SERVICE, TOLERANCES)
    assert decision.promote and not decision.regressions
    assert decision.reasons() == ["no figure fell beyond its tolerance"]


def test_a_drop_within_the_tolerance_promotes_and_exactly_the_tolerance_too():
    # 0.85 - 0.83 is 0.020000000000000018 in floating point: still within 0.02.
    assert decide(figures({("crossval_f1", "lb"): 0.83, ("recall@1", "fr"): 0.81}), IN_SERVICE, TOLERANCES).promote


def test_a_drop_beyond_the_tolerance_in_one_language_keeps_the_service_and_says_why():
    decision = decide(figures({("crossval_f1", "lb"): 0.80, ("recall@1", "fr"): 0.79}), IN_SERVICE, TOLERANCES)
    assert not decision.promote
    assert [(r.metric, r.language) for r in decision.regressions] == [("crossval_f1", "lb"), ("recall@1", "fr")]
    assert decision.reasons()[0] == "crossval_f1 [lb]: 0.800 vs 0.850 in service (-0.050, tolerance 0.02)"


def test_metrics_without_a_tolerance_are_shown_but_never_block():
    assert decide(figures({("heldout_test", "fr"): 0.10}), IN_SERVICE, TOLERANCES).promote


def test_a_language_the_candidate_lost_is_a_regression():
    candidate = figures()
    del candidate["recall@1"]["lb"]
    decision = decide(candidate, IN_SERVICE, TOLERANCES)
    assert not decision.promote
    assert "no figure for the candidate" in decision.reasons()[0]


def test_nothing_in_service_promotes_and_a_metric_without_baseline_is_said():
    assert decide(IN_SERVICE, None, TOLERANCES).promote
    decision = decide(IN_SERVICE, {"recall@1": IN_SERVICE["recall@1"]}, TOLERANCES)
    assert decision.promote
    assert "not compared: crossval_f1: no figure in service" in decision.reasons()


def test_a_refused_promotion_is_not_promoted_and_gives_the_error():
    decision = decide(IN_SERVICE, IN_SERVICE, TOLERANCES)
    decision.refuse("not promoted: the Rasa server answered 500")
    assert not decision.promote and decision.reasons() == ["not promoted: the Rasa server answered 500"]


def test_keep_the_newest_n_and_never_what_is_in_service():
    models = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]          # oldest first
    assert to_delete(models, 5) == ["m1", "m2"]
    assert to_delete(models, 5, protect=["m1"]) == ["m2"]         # rolled back to an old one: kept
    assert to_delete(models[:3], 5) == []
    assert to_delete(models, 0) == models[:-1]                    # at least the newest stays


def promotion(before, after, promoted=True):
    return {"event": "retrain", "promoted": promoted, "before": before, "in_service": after if promoted else before,
            "candidate": after}


A, B, C = ({"model": f"{m}.tar.gz", "index": f"v{m}"} for m in "abc")


def test_rollback_goes_back_one_promotion_at_a_time():
    history = [promotion(A, B), promotion(B, {"model": "x.tar.gz", "index": "vx"}, promoted=False), promotion(B, C)]
    assert rollback_target(history, "c.tar.gz") == B
    history.append({"event": "rollback", "before": C, "in_service": B})
    assert rollback_target(history, "b.tar.gz") == A                # a second rollback: one further back
    assert rollback_target(history, "a.tar.gz") is None             # never promoted by make retrain
    assert rollback_target(history, "x.tar.gz") is None             # kept out, never in service


def test_stored_figures_count_for_the_parts_they_depend_on():
    entry = {**promotion(A, B), "measured_with": {"folds": 3},
             "figures": {"candidate": {"crossval_f1": {"fr": 0.9}, "recall@1": {"fr": 0.8}},
                         "in_service": {"crossval_f1": {"fr": 0.7}}}}
    depends_on = {"crossval_f1": ("model", "folds"), "recall@1": ("index",)}
    assert stored_figures([entry], {**B, "folds": 3}, depends_on) == {"crossval_f1": {"fr": 0.9}, "recall@1": {"fr": 0.8}}
    # The same model with a rebuilt index: cross-validation still counts, retrieval does not.
    assert stored_figures([entry], {"model": "b.tar.gz", "index": "vnew", "folds": 3}, depends_on) == \
        {"crossval_f1": {"fr": 0.9}}
    assert stored_figures([entry], {**A, "folds": 3}, depends_on) == {"crossval_f1": {"fr": 0.7}}
    assert stored_figures([entry], {**B, "folds": 2}, depends_on) == {"recall@1": {"fr": 0.8}}
