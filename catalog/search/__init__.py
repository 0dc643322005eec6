"""Product search: a tokenizer shared by the index and the query, the postings index and the search selector.

Why a token table and not FULLTEXT: MariaDB's FULLTEXT never indexes 2-syllable Korean words and has no n-gram
parser, and FULLTEXT over application-built n-grams was measured as slow as LIKE at a million products (see
docs/PERFORMANCE.md). A ``(token, product_id)`` table, queried from the rarest token, stops after 20 rows.
"""
