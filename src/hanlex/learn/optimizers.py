"""Update rules for structured learning, shaped like MXNet's optimizers.

An `Optimizer` owns its learning-rate schedule and knows how to
`create_state(index, weight)` for a parameter and `update(index, weight,
grad, state)` it in place; an `Updater` keeps one state per parameter index.
`grad` is the gradient of the loss (for the perceptron: phi(predicted) -
phi(gold)), either dense or a `SparseGrad` of flat indices into the weight.

Averaging (Collins 2002) is done lazily: instead of summing the weights after
every example, each update also adds (t - 1) * step to an accumulator U, and
the average of all weight vectors seen so far is W - U / t at any time t.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..errors import ConfigError

_REGISTRY: dict[str, type["Optimizer"]] = {}


def register(cls: type["Optimizer"]) -> type["Optimizer"]:
    _REGISTRY[cls.__name__.lower()] = cls
    for alias in getattr(cls, "aliases", ()):
        _REGISTRY[alias] = cls
    return cls


def create(name: str, **kwargs: Any) -> "Optimizer":
    """Optimizer by registered name, e.g. create('perceptron')."""
    try:
        return _REGISTRY[name.lower()](**kwargs)
    except KeyError:
        raise ConfigError(f"unknown optimizer {name!r}; choose from {sorted(_REGISTRY)}") from None


@dataclass
class SparseGrad:
    """A gradient touching few entries: weight.flat[indices] has grad values.

    Indices may repeat (their values add up). `loss` and `sq_norm` describe
    the whole example (all parameters), for step sizes such as PA's.
    """

    indices: np.ndarray
    values: np.ndarray
    loss: float = 0.0
    sq_norm: float = 0.0

    def coalesce(self) -> "SparseGrad":
        if self.indices.size == 0:
            return self
        idx, inv = np.unique(self.indices, return_inverse=True)
        vals = np.bincount(inv, weights=self.values, minlength=idx.size)
        keep = vals != 0
        return SparseGrad(idx[keep], vals[keep], self.loss, self.sq_norm)


def _add(weight: np.ndarray, grad: "SparseGrad | np.ndarray", scale: float | np.ndarray) -> None:
    """weight += scale * grad, for dense or sparse grads."""
    if isinstance(grad, SparseGrad):
        if grad.indices.size:
            np.add.at(weight.reshape(-1), grad.indices, scale * grad.values)
    else:
        weight += scale * grad


class LRScheduler:
    """Learning rate as a function of the number of updates so far."""

    def __init__(self, base_lr: float = 1.0):
        self.base_lr = base_lr

    def __call__(self, num_update: int) -> float:
        return self.base_lr


class FactorScheduler(LRScheduler):
    """Multiply the rate by `factor` every `step` updates (MXNet's schedule)."""

    def __init__(self, step: int, factor: float = 0.5, base_lr: float = 1.0,
                 min_lr: float = 1e-8):
        super().__init__(base_lr)
        self.step, self.factor, self.min_lr = step, factor, min_lr

    def __call__(self, num_update: int) -> float:
        return max(self.min_lr, self.base_lr * self.factor ** (num_update // self.step))


class Optimizer:
    """Base class; subclasses define create_state and update."""

    aliases: tuple[str, ...] = ()

    def __init__(self, learning_rate: float = 1.0, lr_scheduler: LRScheduler | None = None):
        self.lr_scheduler = lr_scheduler or LRScheduler(learning_rate)
        self.num_update = 0
        self._index_update_count: dict[Any, int] = {}

    @property
    def learning_rate(self) -> float:
        return self.lr_scheduler(self.num_update)

    def _update_count(self, index: Any) -> int:
        """Count one more update of `index`; num_update is the max over indices."""
        c = self._index_update_count.get(index, 0) + 1
        self._index_update_count[index] = c
        self.num_update = max(self.num_update, c)
        return c

    def create_state(self, index: Any, weight: np.ndarray) -> Any:
        return None

    def update(self, index: Any, weight: np.ndarray, grad: "SparseGrad | np.ndarray", state: Any) -> None:
        raise NotImplementedError

    def finalize(self, index: Any, weight: np.ndarray, state: Any) -> np.ndarray:
        """Weights to predict with (the average, for averaging optimizers)."""
        return weight


class _Averaging(Optimizer):
    """Mixin logic for lazily averaged weights: state holds the accumulator U."""

    def __init__(self, average: bool = True, **kwargs: Any):
        super().__init__(**kwargs)
        self.average = average

    def create_state(self, index: Any, weight: np.ndarray) -> Any:
        return {"acc": np.zeros_like(weight, dtype=np.float64)} if self.average else {}

    def _step(self, index: Any, weight: np.ndarray, grad: "SparseGrad | np.ndarray",
              state: Any, scale: float | np.ndarray) -> None:
        t = self._index_update_count[index]
        _add(weight, grad, -scale)
        if self.average and t > 1:
            _add(state["acc"], grad, -scale * (t - 1))

    def finalize(self, index: Any, weight: np.ndarray, state: Any) -> np.ndarray:
        t = self._index_update_count.get(index, 0)
        if not self.average or t == 0:
            return weight.copy()
        return weight - state["acc"] / t


@register
class AveragedPerceptron(_Averaging):
    """Collins' structured perceptron: w -= lr * (phi(pred) - phi(gold))."""

    aliases = ("perceptron", "ap", "averaged_perceptron")

    def update(self, index, weight, grad, state):
        self._update_count(index)
        self._step(index, weight, grad, state, self.learning_rate)


@register
class PassiveAggressive(_Averaging):
    """PA-I (Crammer et al. 2006): the smallest step that fixes the margin, capped at C."""

    aliases = ("pa", "passive_aggressive")

    def __init__(self, C: float = 1.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.C = C

    def update(self, index, weight, grad, state):
        self._update_count(index)
        sparse = isinstance(grad, SparseGrad)
        loss = grad.loss if sparse else 0.0
        sq = grad.sq_norm if sparse else float((grad * grad).sum())
        tau = min(self.C, loss / sq) if sq > 0 and loss > 0 else 0.0
        if tau > 0:
            self._step(index, weight, grad, state, tau * self.learning_rate)


@register
class AdaGrad(_Averaging):
    """Per-weight rates lr / sqrt(sum of squared past gradients)."""

    aliases = ("adagrad",)

    def __init__(self, eps: float = 1e-7, **kwargs: Any):
        super().__init__(**kwargs)
        self.eps = eps

    def create_state(self, index, weight):
        state = super().create_state(index, weight)
        state["hist"] = np.zeros_like(weight, dtype=np.float64)
        return state

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr = self.learning_rate
        hist = state["hist"]
        if isinstance(grad, SparseGrad):
            g = grad.coalesce()
            flat = hist.reshape(-1)
            flat[g.indices] += g.values ** 2
            scale = lr / (np.sqrt(flat[g.indices]) + self.eps)
            self._step(index, weight, SparseGrad(g.indices, g.values * scale), state, 1.0)
        else:
            hist += grad * grad
            self._step(index, weight, grad / (np.sqrt(hist) + self.eps), state, lr)


class Updater:
    """Applies an optimizer to indexed parameters, keeping their states."""

    def __init__(self, optimizer: Optimizer):
        self.optimizer = optimizer
        self.states: dict[Any, Any] = {}

    def __call__(self, index: Any, grad: "SparseGrad | np.ndarray", weight: np.ndarray) -> None:
        if index not in self.states:
            self.states[index] = self.optimizer.create_state(index, weight)
        self.optimizer.update(index, weight, grad, self.states[index])

    def finalized(self, index: Any, weight: np.ndarray) -> np.ndarray:
        return self.optimizer.finalize(index, weight, self.states.get(index))


def get_updater(optimizer: Optimizer) -> Callable[[Any, Any, np.ndarray], None]:
    return Updater(optimizer)
