from __future__ import annotations

from hanlex.evaluate import evaluate_model


def test_joint_model_learns_tags(small_joint_model, sample_sentences):
    s = evaluate_model(small_joint_model, sample_sentences, joint=True)
    assert s.f > 0.95 and s.f_joint > 0.9, (s.f, s.f_joint)
    assert s.f_joint <= s.f
