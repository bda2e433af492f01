"""Decoding with a hanlex model: `tables` turns a Model into a CompiledModel
(the compiled class that owns every table a decode reads, _core/compiled.pyx),
and `engine` is the HanlexEngine the Analyzer runs: pre-tokenisation, user
words, decoding, whitespace."""
