"""hanlex words as a Hugging Face tokenizers pre-tokenizer (skipped without `tokenizers`; CI installs it)."""
from __future__ import annotations

import pytest

pytest.importorskip("tokenizers")

from tokenizers import Tokenizer  # noqa: E402
from tokenizers.models import WordLevel  # noqa: E402
from tokenizers.pre_tokenizers import Sequence, WhitespaceSplit  # noqa: E402

from hanlex import Analyzer  # noqa: E402
from hanlex.integrations.huggingface import pre_tokenizer  # noqa: E402


def test_pre_tokens_are_hanlex_words_with_offsets():
    text = "我爱北京天安门 GPT-4 和 https://t.cn/x 😀\n中华人民共和国"
    got = pre_tokenizer().pre_tokenize_str(text)
    words = [w for w in Analyzer().cut(text) if not w.isspace()]
    assert [w for w, _ in got] == words
    assert all(text[a:b] == w for w, (a, b) in got)
    kept = pre_tokenizer(keep_whitespace=True).pre_tokenize_str(text)
    assert "".join(w for w, _ in kept) == text


def test_in_a_tokenizer_with_user_words():
    an = Analyzer(user_dict=["蓝瓶咖啡"])
    words = ["我", "喝", "蓝瓶咖啡", "北京", "[UNK]"]
    tok = Tokenizer(WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = Sequence([WhitespaceSplit(), pre_tokenizer(an)])
    enc = tok.encode("我喝蓝瓶咖啡 在北京")
    assert enc.tokens == ["我", "喝", "蓝瓶咖啡", "[UNK]", "北京"]
    assert enc.offsets[2] == (2, 6) and enc.offsets[-1] == (8, 10)
