"""New words from raw text: a planted word with free contexts is found, counts
are exact below the memory budget, and the command line streams files."""
from __future__ import annotations

import gzip
import random
import subprocess
import sys

from hanlex.lexicon.discovery import NewWord, WordCounter, chunks_of, discover, fragments, phrases

FILLER = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def _corpus(seed: int, word: str = "区块链", times: int = 200) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(times):
        left = "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 8)))
        right = "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 8)))
        lines.append(f"{left}{word}{right}。")
    return lines


def test_a_frequent_word_with_free_contexts_is_found():
    lines = _corpus(1)
    words, counter = discover(chunks_of(iter(lines), 500), chunks_of(iter(lines), 500),
                              min_count=20, top=5)
    assert words[0].word == "区块链"
    assert words[0].count == 200 == counter.count("区块链")
    assert words[0].left_entropy > 4 and words[0].right_entropy > 4
    # its pieces are not words: their contexts are not free
    assert all(w.word not in ("区块", "块链") for w in words)


def test_known_words_are_left_out():
    lines = _corpus(2)
    words, _ = discover(iter(lines), iter(lines), min_count=20, top=5,
                        known=lambda ws: [w == "区块链" for w in ws])
    assert "区块链" not in [w.word for w in words]


def test_counts_are_exact_within_the_budget_and_bounded_beyond_it():
    lines = _corpus(3)
    exact = WordCounter(max_len=4)
    for chunk in chunks_of(iter(lines), 300):
        exact.add(chunk)
    text = "".join(lines)
    assert exact.count("区块链") == text.count("区块链")
    assert exact.count("块") == text.count("块")
    small = WordCounter(max_len=4, budget=500)
    for chunk in chunks_of(iter(lines), 300):
        small.add(chunk)
    assert all(len(t.keys) <= 500 for t in small.tables)
    assert small.tables[3].floor > 0  # it did drop rare trigrams, and says how rare
    assert 0 < small.count("区块链") <= 200  # never over-counted


def test_command_reads_compressed_files(tmp_path):
    path = tmp_path / "raw.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(_corpus(4)) + "\n")
    out = tmp_path / "words.tsv"
    r = subprocess.run([sys.executable, "-m", "hanlex", "words", str(path), "-o", str(out),
                        "--min-count", "20", "--top", "3", "--all"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    first = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first[:2] == ["区块链", "200"] and float(first[2]) > 0


def test_command_says_what_to_do(tmp_path):
    r = subprocess.run([sys.executable, "-m", "hanlex", "words", "-"], input="区块链",
                       capture_output=True, text=True)
    assert r.returncode == 2 and "standard input" in r.stderr and r.stderr.count("\n") == 1
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa")
    r = subprocess.run([sys.executable, "-m", "hanlex", "words", str(bad), "--all"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_command_reads_other_encodings(tmp_path):
    path = tmp_path / "raw_gb.txt"
    path.write_bytes(("\n".join(_corpus(5)) + "\n").encode("gb18030"))
    r = subprocess.run([sys.executable, "-m", "hanlex", "words", str(path), "--encoding", "gb18030",
                        "--min-count", "20", "--top", "1", "--all"], capture_output=True, text=True,
                       encoding="utf-8")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\t")[:2] == ["区块链", "200"]


def test_contexts_give_counts_and_free_sides_of_any_word():
    lines = _corpus(4, "以习近平同志", 100)
    counter = WordCounter()
    for chunk in chunks_of(iter(lines), 700):
        counter.add(chunk)
    count, left, right = counter.contexts(["近平", "以习", "以习近平同志", "abc", "没有的词", "以"])
    assert count.tolist()[:3] == [100, 100, 100] and count.tolist()[3:] == [0, 0, 0]
    assert left[0] < 0.01 and right[1] < 0.01  # always 习 before 近平, 近 after 以习
    assert left[2] > 3 and right[2] > 3


def test_fragments_are_the_words_a_longer_string_always_holds():
    from hanlex.learn.recipes import fragments

    lines = _corpus(5, "以习近平同志", 100) + _corpus(6, "区块链", 100)
    bad = fragments(["近平", "以习", "习近平", "区块链", "新词"], lines)
    assert bad == {"近平", "以习", "习近平"}  # here 以 is always before 习近平 too
    assert fragments(["近平"], lines[:5]) == set()  # too rare to judge


def test_two_free_words_side_by_side_are_a_phrase_not_a_word():
    from hanlex.lexicon.discovery import phrases

    lines = _corpus(7, "区块链", 200) + _corpus(8, "元宇宙", 200) + _corpus(9, "区块链元宇宙", 150)
    counter = WordCounter()
    for chunk in chunks_of(iter(lines), 900):
        counter.add(chunk)
    assert phrases(counter, ["区块链元宇宙", "区块链", "元宇宙", "块链"]) == [True, False, False, False]
    words, _ = discover(iter(lines), iter(lines), min_count=20, top=10)
    found = [w.word for w in words]
    assert "区块链" in found and "元宇宙" in found and "区块链元宇宙" not in found


def _lines(seed: int, pieces: list[tuple[str, int]]) -> list[str]:
    """Each piece `times` times, between random filler (free contexts)."""
    rng = random.Random(seed)
    out = []
    for piece, times in pieces:
        for _ in range(times):
            left = "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 6)))
            right = "".join(rng.choice(FILLER) for _ in range(rng.randint(2, 6)))
            out.append(f"{left}{piece}{right}。")
    rng.shuffle(out)
    return out


def test_words_of_productive_characters_are_found():
    # 元 and 人 begin and end hundreds of strings, 宇宙 and 打工 follow and precede
    # many: one character's contexts are free whatever it is, so that is no sign of
    # two words side by side (元|宇宙, 打工|人, 穿|搭)
    lines = _lines(11, [("元宇宙", 120), ("打工人", 120), ("穿搭", 120)] +
                   [(m, 150) for m in ("元", "宇宙", "打工", "人", "穿", "搭")])
    counter = WordCounter()
    for chunk in chunks_of(iter(lines), 900):
        counter.add(chunk)
    heads_right = counter.contexts(["元", "打工", "穿"], shortest=1)[2]
    tails_left = counter.contexts(["宇宙", "人", "搭"], shortest=1)[1]
    assert (heads_right > 1.5).all() and (tails_left > 1.5).all()  # free at every joint
    assert phrases(counter, ["元宇宙", "打工人", "穿搭"]) == [False, False, False]
    words, _ = discover(iter(lines), iter(lines), min_count=20, top=20)
    found = [w.word for w in words]
    assert {"元宇宙", "打工人", "穿搭"} <= set(found)


def test_a_string_inside_longer_words_most_of_the_time_is_a_fragment():
    # 委会 is in 居委会, 村委会 or 奥委会 nearly always: three left neighbours, so its
    # contexts are not fixed, yet each time it is part of a longer word
    lines = _lines(12, [("居委会", 80), ("村委会", 80), ("奥委会", 80), ("委会", 10),
                        ("习近平", 150), ("会", 150)])
    words, counter = discover(iter(lines), iter(lines), min_count=10, top=50)
    found = {w.word for w in words}
    assert {"居委会", "村委会", "奥委会", "习近平"} <= found
    assert not found & {"委会", "近平", "习近"}
    scored = [NewWord("委会", 100, 1.0, 1.1, 4.0, 2.0), NewWord("居委会", 80, 5.0, 4.0, 4.0, 5.0)]
    assert fragments(counter, scored, [True, True]) == {"委会"}
    assert fragments(counter, scored, [True, False]) == set()  # 居委会 no word: 委会 stays


def test_a_word_is_no_fragment_of_itself_and_the_next_word():
    # 区块链 followed by 在 half the time: the next word, not a longer word
    lines = _lines(15, [("区块链在", 100), ("区块链", 100), ("在", 300)])
    words, _ = discover(iter(lines), iter(lines), min_count=20, top=20)
    assert "区块链" in [w.word for w in words]


def test_a_number_before_a_string_is_one_context():
    # 3亿元, 15亿元: 亿元 is the measure of a number, always after one; a word before a
    # number (震源深度10千米) ends there as before any word
    rng = random.Random(17)
    lines = [f"{x}{rng.randint(1, 999)}亿元{y}" for x, y in
             (("".join(rng.choice(FILLER) for _ in range(3)), rng.choice(FILLER))
              for _ in range(150))]
    lines += [f"{rng.choice(FILLER)}{rng.choice(FILLER)}震源深度{rng.randint(5, 30)}千米。"
              for _ in range(150)]
    counter = WordCounter(numbers=True)
    counter.add("\n".join(lines))
    count, left, right = counter.contexts(["亿元", "震源深度"])
    assert count.tolist() == [150, 150]
    assert left[0] == 0 and right[0] > 4 and left[1] > 3 and right[1] > 4
    plain = WordCounter()  # numbers as run edges: every one a new context
    plain.add("\n".join(lines))
    assert plain.contexts(["亿元"])[1][0] > 4
    words, _ = discover(iter(lines), iter(lines), min_count=20, top=20)
    found = [w.word for w in words]
    assert "震源深度" in found and "亿元" not in found


def test_command_leaves_out_a_word_next_to_a_function_word(tmp_path):
    # 他强调 and 元出行 (a coinage the model splits) both pass the counts (他 and 元 are free on both sides); the
    # model reads 他 as a pronoun next to a word
    pieces = [("元出行", 120), ("他强调", 120)] + [(m, 150) for m in ("元", "出行", "他", "强调")]
    path = tmp_path / "raw.txt"
    path.write_text("\n".join(_lines(18, pieces)) + "\n", encoding="utf-8")
    words = {}
    for flag in ([], ["--all"]):
        r = subprocess.run([sys.executable, "-m", "hanlex", "words", str(path), "--min-count", "20",
                            "--top", "50", *flag], capture_output=True, text=True, encoding="utf-8")
        assert r.returncode == 0, r.stderr
        words[bool(flag)] = {line.split("\t")[0] for line in r.stdout.splitlines()}
    assert {"元出行", "他强调"} <= words[True]  # without a model, counts only
    assert "元出行" in words[False] and "他强调" not in words[False]


def test_known_leaves_out_copula_glue_and_counted_numbers_but_keeps_new_words():
    """Edge pieces are judged tagged alone: out of context the joint model reads
    many short strings as names, which hid 其实|是 and 才|是 from the tag rule."""
    from hanlex import Analyzer
    from hanlex.lexicon.adaptation import known

    words = ["其实是", "才是", "两个", "他强调", "元出行", "一个月的"]
    assert known(Analyzer())(words) == [True, True, True, True, False, True]


def test_chunks_shorter_than_the_longest_ngram_are_counted():
    """One short line per chunk (Analyzer.adapted's texts are often lines): a chunk
    of two characters has no n-gram of seven, and counting it must not fail."""
    lines = ["好", "区块"] + _corpus(4)
    words, counter = discover(iter(lines), iter(lines), min_count=20, top=5)
    assert words[0].word == "区块链"
    assert counter.count("区块") == 201


def test_ngrams_without_any_longer_context_are_scored():
    """Found by fuzz/fuzz_rawtext.py: n-grams whose (n+1)-grams were never counted
    (no context on either side) made the entropy sums integers and failed."""
    lines = ["f㣣㪣", "M", "f㣣㪣", "M", "㣣", ""]
    words, _ = discover(iter(lines), iter(lines), min_count=2, top=20, max_len=4)
    assert all(w.word in "\n".join(lines) for w in words)
