"""Thin adapters that let code written for other tools run on hanlex.

- `hanlex.integrations.jieba`: jieba's Tokenizer calls (`lcut`, `cut_for_search`,
  `tokenize`, `add_word`, `load_userdict`, posseg's `cut`) on a hanlex Analyzer;
- `hanlex.integrations.spacy`: a spaCy tokenizer (`@tokenizers = "hanlex.Tokenizer.v1"`);
- `hanlex.integrations.huggingface`: a `tokenizers` pre-tokenizer (words as pre-tokens).
"""
