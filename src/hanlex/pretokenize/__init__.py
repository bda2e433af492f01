"""Pre-tokenisation: what decoding is told before it starts.

`patterns` finds the spans kept whole (URLs, e-mail, numbers, Latin, emoji...),
`masks` turns spans into allowed word positions per character, and `plan` lays
a batch out: the segments to decode, whitespace runs, the mask, the closed
spans. The compiled scan (`_scan`, its `Scanner`) gives plan's result without a
Python step per character; CompiledModel runs it inside the decode.
"""
