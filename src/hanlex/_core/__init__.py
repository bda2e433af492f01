"""hanlex's compiled core: small Cython modules, each with a .pxd interface.

The data path, in order:

- ``common.pxd``: sizes, constants, the hash slot and compiler hints every
  module shares (``constants`` hands them to Python); ``templates.pxd``: the
  feature template ids (``templates`` hands them to Python as ``Template``);
- ``hashing``: feature and word hashes; ``chars``: normalisation and classes;
- ``hashindex``: the read-only hash maps (features, lexicon, statistics) and
  the tag dictionary;
- ``scan``: pre-tokenisation's scan (``Scanner``);
- ``features``: the keys and rows of every template at every position;
- ``regrouped``: a model's features regrouped by template for few cache misses;
- ``decode``: candidate labels, emission scores and Viterbi for any model over a
  ``ModelView``; ``decode_bmes``: the same for segmentation-only models, from a
  regrouped half table;
- ``compiled``: ``CompiledModel``, which owns a model's tables and decodes a
  batch, cuts one text, or decodes training's feature rows;
- ``words``: words out of labels, search-mode sub-words, user-dictionary matches;
- ``learn``: sparse perceptron gradients and path scores;
- ``thulac``: THULAC's decoder, constraints and dictionary passes;
- ``probes``: Python views of internal steps, built for the tests only
  (HANLEX_TEST_PROBES=1).

Hot helpers are ``cdef inline`` in the .pxd files, so a call that crosses a
module boundary happens once per segment, never per character.
"""
