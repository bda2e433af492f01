"""Thin adapters that let code written for other tools run on hanlex.

- `hanlex.integrations.jieba`: a drop-in for `import jieba` (module-level calls,
  `Tokenizer`, `jieba.posseg`, `jieba.analyse`) on a hanlex Analyzer;
- `hanlex.integrations.spacy`: a spaCy tokenizer (`@tokenizers = "hanlex.Tokenizer.v1"`);
- `hanlex.integrations.huggingface`: a `tokenizers` pre-tokenizer (words as pre-tokens).
"""
