"""Learning a model from a corpus: corpus -> Trainer -> Model.

`trainer` runs the structured perceptron (its steps are Trainer methods);
`folds` builds the jackknifed lexicons, `tables` the feature index, the joint
weight pattern and the tag dictionary; `rawtext` the punctuation partial labels
and statistics of raw text; `prefetch` featurises ahead on a second thread;
`optimizers` holds the MXNet-shaped update rules; `recipes` the ways of
combining these that the command line offers (uptraining a segmenter,
raw-text words, borrowed tags); compiled, `_learn`: sparse perceptron
gradients and path scores.
"""
