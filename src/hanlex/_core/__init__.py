"""The compiled primitives every room shares: small Cython modules, each with a
.pxd interface.

- ``common.pxd``: sizes, constants, the hash slot and compiler hints every
  module shares (``constants`` hands them to Python); ``templates.pxd``: the
  feature template ids (``templates`` hands them to Python as ``Template``);
- ``hashing``: feature and word hashes; ``chars``: normalisation and classes;
- ``hashindex``: the read-only hash maps (features, lexicon, statistics) and
  the tag dictionary;
- ``features``: the keys and rows of every template at every position, for
  decoding and training alike; ``scratch.pxd``: per-call buffers;
- ``probes``: Python views of internal steps, built for the tests only
  (HANLEX_TEST_PROBES=1).

The compiled parts of each concept live in its own room, next to its Python:
``pretokenize/_scan`` (the scan), ``decoding/_regrouped``, ``_decode``,
``_decode_bmes``, ``_compiled`` (CompiledModel) and ``_words``,
``learn/_learn`` (gradients), ``thulac/_decode`` (THULAC's decoder).

Hot helpers are ``cdef inline`` in the .pxd files, so a call that crosses a
module boundary happens once per segment, never per character.
"""
