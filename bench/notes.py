"""The prose of BENCHMARKS.md that measurements cannot write: findings and method."""

FINDINGS = """
(to be written)
"""

METHOD = """
- **One command.** `python bench/run.py` builds the workloads (or reuses them from
  `bench/work/`, keyed by seed, size and the generator's source), runs every measurement and
  writes this file; `--quick` measures the 20-group workload once, reads 5 returns with pandoc
  (scaled to 20) and runs a 100-return batch, without the scaling series. `--seed`, `--batch N`,
  `--repeat N` and `--fresh` change the rest.
- **The draft** (`bench/draft.py`) is built with python-docx and the sample's helpers
  (`samples/build_sample.py`): text is a seeded word-bigram walk over the sample policy, so
  paragraphs are unique and read like policy prose. Half and twice the size scale the sections
  per chapter, the tables and the words.
- **The returns** (`bench/returns.py`) start from `write_packs(draft, allocations, folder,
  context="full")` and are edited with the test toolkit (`tests/edit_docx.py`): `add_comment`
  (with replies and resolved state), `track_replace`, `track_delete`, `track_insert`,
  `track_insert_paragraph_after`, `untracked_replace`, `untracked_split_paragraph`,
  `untracked_delete_paragraph`, and `set_author_in_core`. Edits do not overlap within a return
  (the toolkit edits plain text only). The toolkit looks an edit's paragraph up by scanning the
  whole body, which is linear in the document for every edit, so the generator tells it which
  paragraph it means (packs mark each with a hidden bookmark) and falls back to the scan.
  Every fourth return is re-saved with `soffice --headless --convert-to docx:"MS Word 2007 XML"`.
- **Each step runs in a fresh Python process** (`bench/step.py`): the time is taken around the
  library call only (`load_draft`; `write_packs`; `ingest`; `collate` + `Collation.save`),
  after imports and, except for split, after loading the draft; the fastest of the passes is
  reported. Peak memory is the process's high-water resident set (`VmHWM` from
  `/proc/self/status`; `ru_maxrss` is not used for the process itself because Linux carries the
  parent's peak over `exec`), including the interpreter and the draft; with `--jobs` the pool
  workers' peak (`RUSAGE_CHILDREN`) is given separately and includes pages they share with the
  main process after `fork`.
- **The floor** does, in its own fresh process, the least any tool must do for the step: unzip
  every part of every input and parse each XML part with lxml, then write the output once
  (serialise the draft's parts and zip them): for split the draft is read; for distribute the
  draft is read and 20 packs written; for ingest the returns are read; for collate the draft and
  the returns are read and one document written. Ratios are step time / floor time.
- **The peer** is pandoc (`pandoc --track-changes=all -t json`) reading each of the same 20
  returns, one after another, timed in the same way; only reading, no merging.
- **Scaling**: the group series takes the first 10, 20, 40 and 80 returns of one 80-group set
  (groups 21-80 read the same sections as groups 1-20, with their own edits, so the density per
  return is constant). The size series uses drafts of half, one and two times the size with 20
  groups each. Every point is measured like the main workload.
- **Batch**: `collate` of N/4, N/2 and N small returns with `jobs=1` and `jobs=2`.
- **Profile**: `cProfile` over one `collate` + `save` of the 20-group workload; the phases are
  cumulative times of the functions named.
"""
