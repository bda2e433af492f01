from __future__ import annotations

import numpy as np
import pytest

from hanlex.learn.optimizers import (
    AdaGrad,
    AveragedPerceptron,
    FactorScheduler,
    PassiveAggressive,
    SparseGrad,
    Updater,
    create,
)


def test_lazy_average_equals_explicit_average():
    rng = np.random.RandomState(0)
    opt = AveragedPerceptron()
    up = Updater(opt)
    w = np.zeros((5, 3))
    history = []
    for _ in range(50):
        if rng.rand() < 0.6:
            idx = rng.randint(0, 15, size=4)
            grad = SparseGrad(idx.astype(np.int64), rng.choice([-1.0, 1.0], size=4))
        else:
            grad = SparseGrad(np.zeros(0, np.int64), np.zeros(0))
        up(0, grad, w)
        history.append(w.copy())
    np.testing.assert_allclose(up.finalized(0, w), np.mean(history, axis=0), atol=1e-12)


def test_dense_grad_and_repeated_indices():
    w = np.zeros(4)
    up = Updater(AveragedPerceptron(average=False))
    up(0, SparseGrad(np.array([1, 1, 2]), np.array([1.0, 1.0, -1.0])), w)
    assert w.tolist() == [0.0, -2.0, 1.0, 0.0]
    up(0, np.ones(4), w)
    assert w.tolist() == [-1.0, -3.0, 0.0, -1.0]


def test_learning_rate_schedule_lives_in_optimizer():
    opt = AveragedPerceptron(average=False, lr_scheduler=FactorScheduler(step=2, factor=0.5))
    w = np.zeros(1)
    up = Updater(opt)
    for _ in range(4):
        up(0, np.ones(1), w)
    # the k-th update (k = 1, 2, 3, 4) uses base * factor ** (k // step)
    assert w.tolist() == [-(1 + 0.5 + 0.5 + 0.25)]


def test_passive_aggressive_step():
    opt = PassiveAggressive(C=10.0, average=False)
    w = np.zeros(3)
    g = SparseGrad(np.array([0, 1]), np.array([1.0, -1.0]), loss=1.0, sq_norm=2.0)
    Updater(opt)(0, g, w)
    assert w.tolist() == [-0.5, 0.5, 0.0]  # tau = loss / ||g||^2 = 0.5


def test_adagrad_shrinks_steps():
    w = np.zeros(1)
    up = Updater(AdaGrad(average=False, learning_rate=1.0))
    up(0, np.ones(1), w)
    first = -w[0]
    up(0, np.ones(1), w)
    assert -w[0] - first < first


def test_states_are_per_index():
    up = Updater(AdaGrad())
    a, b = np.zeros(2), np.zeros(3)
    up(0, np.ones(2), a)
    up(1, np.ones(3), b)
    assert set(up.states) == {0, 1}
    assert up.states[0]["hist"].shape == (2,) and up.states[1]["hist"].shape == (3,)


def test_registry():
    assert isinstance(create("perceptron"), AveragedPerceptron)
    assert isinstance(create("pa", C=0.5), PassiveAggressive)
    with pytest.raises(ValueError, match="unknown optimizer"):
        create("nope")
