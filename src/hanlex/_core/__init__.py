"""hanlex's compiled core: small Cython modules, each with a .pxd interface.

The data path, in order:

- ``common.pxd``: sizes, constants and compiler hints every module shares
  (``constants`` hands them to Python);
- ``hashing``: feature and word hashes; ``chars``: normalisation and classes;
- ``hashindex``: the read-only hash maps (features, lexicon, statistics) and
  the tag dictionary;
- ``features``: the keys and rows of every template at every position;
- ``regrouped``: a model's features regrouped by template for few cache misses;
- ``decode``: candidate labels, emission scores and Viterbi for any model;
  ``decode_bmes``: the same for segmentation-only models, from a regrouped table;
- ``words``: words out of labels, search-mode sub-words, user-dictionary matches;
- ``learn``: sparse perceptron gradients and path scores;
- ``probes``: Python views of internal steps, for the tests only.

Hot helpers are ``cdef inline`` in the .pxd files, so a call that crosses a
module boundary happens once per segment, never per character.
"""
