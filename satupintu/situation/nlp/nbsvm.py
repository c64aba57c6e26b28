"""NB-SVM (Wang & Manning, 2012): a linear SVM on features scaled by their naive Bayes
log-count ratio, one-vs-rest per class. On short Indonesian opinions it beats a plain
TF-IDF + linear SVM by about one point of macro-F1 (see ``models/sentiment.json``).

Only arrays are kept after fitting (the ratio is folded into the weights), so the model
saves with skops as plain numbers and loads without running any code of ours but this class.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


class NBSVMClassifier(ClassifierMixin, BaseEstimator):
    def __init__(self, C: float = 0.3, alpha: float = 1.0, random_state: int = 13):
        self.C = C
        self.alpha = alpha  # Laplace smoothing of the counts
        self.random_state = random_state

    def fit(self, X, y):  # type: ignore[no-untyped-def]
        from sklearn.svm import LinearSVC

        y = np.asarray(y)
        self.classes_ = np.array(sorted(set(y.tolist())))
        present = (X > 0).astype(np.float32)
        weights, intercepts = [], []
        for label in self.classes_:
            is_label = y == label
            p = np.asarray(present[is_label].sum(axis=0)).ravel() + self.alpha
            q = np.asarray(present[~is_label].sum(axis=0)).ravel() + self.alpha
            ratio = np.log((p / p.sum()) / (q / q.sum()))
            svm = LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state)
            svm.fit(X.multiply(ratio).tocsr(), is_label)
            weights.append(svm.coef_.ravel() * ratio)
            intercepts.append(float(svm.intercept_[0]))
        self.coef_ = np.vstack(weights).astype(np.float32)
        self.intercept_ = np.array(intercepts, dtype=np.float32)
        return self

    def decision_function(self, X):  # type: ignore[no-untyped-def]
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict(self, X):  # type: ignore[no-untyped-def]
        return self.classes_[self.decision_function(X).argmax(axis=1)]

    def predict_proba(self, X):  # type: ignore[no-untyped-def]
        """A softmax of the one-vs-rest margins: ordered like probabilities, not calibrated ones."""
        scores = self.decision_function(X) * 2.0
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)
