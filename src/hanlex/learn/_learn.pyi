import numpy as np

def perceptron_gradient(rows: np.ndarray, gold: np.ndarray, pred: np.ndarray, L: int,
                        jptr: np.ndarray | None = None, jlab: np.ndarray | None = None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
def sequence_score(rows: np.ndarray, labels: np.ndarray, W: np.ndarray, jptr: np.ndarray,
                   jlab: np.ndarray, jw: np.ndarray, trans: np.ndarray) -> float: ...
