"""The prose of BENCHMARKS.md that measurements cannot write: findings and method."""

FINDINGS = """
**Before optimising** (cProfile of `collate` + `save`, 20 groups, 9.9 s profiled): reading the
returns was 74% of the time: walking each return's paragraphs for text, comments and
revisions 44%, aligning paragraphs with `SequenceMatcher` 10%, placing annotations through
offset maps 6%, parsing 3%, unzipping 2%, untracked-edit diffs 3%. Writing the changes into the
draft was 14%, re-opening the draft 4%, the summary table 4%, saving 1%. At 80 groups one
function stood out: the date on each conflict comment was the latest date of *all* changes,
worked out again for every conflict (820 conflicts x 10,547 changes: 5.3 s of 24.7 s).

**Changes to consult** (output byte-identical before and after on every workload here:
collated documents at 20 and 80 groups, twice the draft, 500 batch returns, and all 20 packs):

1. `collate._Writer._conflicts` (now `response_plan.ResponsePlanner.comment_records`): the latest
   date is worked out once, not once per conflict (was O(conflicts x changes)).
2. `ooxml/edit.ParagraphEditor` reads a paragraph's text segments once (and again after
   `cut`) and finds offsets by bisection; `collate._Writer.editor()` (now in `response.py`)
   keeps one editor per paragraph. Before, every cut, deletion, insertion and style lookup
   walked the paragraph's XML again: O(changes x runs) per paragraph, which grows with the
   groups editing it.
3. `ooxml/annotations._Walker` keeps the position in the paragraph as a running count (it
   summed the paragraph's pieces at every segment: quadratic in segments per paragraph), and
   looks up paragraph and run properties with `textview.first_child` (a direct child check,
   no ElementPath parsing) in `_format`, `_paragraph_format`, `_style_id` and `mark_state`.
   Reading 8 returns' annotations: 0.59 s -> 0.44 s.
4. `ingest`: the draft's normalised paragraph texts are worked out once per draft
   (`_draft_text`) instead of twice per return, the return's once instead of twice;
   `align()` takes them as optional `draft_norms` / `ret_norms`.
5. `summary.section_stats` groups placements by section once (it scanned every placement for
   every section: O(sections x annotations), quadratic in the draft's size).
6. `ooxml/ns.qn` is memoised (called about a million times in `distribute`), `styles._val`
   remembers its translated paths, and `Styles` remembers what each style's chain gives
   (outline level, numbering), which `describe` asked for every paragraph.
7. `ingest(..., jobs=N)`, `collate(..., jobs=N)` and `--jobs N` on `consult ingest` and
   `consult collate`: a `ProcessPoolExecutor` runs `ingest_one` over the returns (the draft
   is handed to each worker once), results in input order, the same bytes out.

Before and after, CPU seconds, fastest of 3 fresh processes taking turns (the library calls
only, same machine and workloads):

| Measurement | Before | After | |
|---|---:|---:|---:|
| ingest, 20 returns | 2.59 | 1.80 | -31% |
| collate + save, 20 groups | 2.94 | 2.22 | -25% |
| collate + save, 80 groups | 16.57 | 8.72 | -47% |
| collate + save, 20 groups on the twice-size draft | 6.03 | 4.34 | -28% |
| collate + save, 500 small batch returns | 12.06 | 9.53 | -21% |
| split (`load_draft`) | 0.159 | 0.132 | -17% |
| distribute, 20 full packs | 4.50 | 3.67 | -19% |

**Second round** (the next session; output the same on every workload here: the collated
documents differ from the first round's only in the numbers of revision ids, which now go
block by block; comments, text and marks are byte-identical):

8. *The response is written block by block* (`consult/response.py`). Collate used to build
   the whole collated document as one lxml tree, then serialise it: the tree held every
   change of every return (42 MB for 500 small returns). Now the changes are planned per
   top-level block of the body (a paragraph or a table), and when the package is written each
   block gets its changes, is serialised straight into the zip entry
   (`Package.stream`, `ooxml/stream.py`) and is freed before the next; comments and their
   thread entries are built and written one at a time (`CommentsWriter.stream`). Memory holds
   the draft and what the groups said, never the document they make. Tests check that the
   streamed body and comments are the bytes the whole tree gives, on every real file.
9. *Plain paragraphs are read without the per-segment walk*
   (`ooxml/annotations._Walker.scan`): one pass over each story finds the paragraphs that
   hold a revision, comment or move mark; the others (most) only give their text and the
   packs' anchor bookmarks. A test checks the quick path reads exactly what the full walk
   reads, on every real file.
10. *Smaller records*: the model's annotations, placements, ops and credits are slotted
    dataclasses, and authors and dates are interned (thousands of changes share a few).
11. `find_conflicts` opens a new cluster without scanning the last one when a change starts
    after the cluster's furthest end (it compared every change with every change of a
    cluster: quadratic where many groups edit one paragraph).
12. One pass over a block instead of one per element name in `renumber_duplicates` and
    `normalize_order`; `Package.open` no longer asks `read()` for the size limit (Python
    sets aside that many bytes first: 500 MB a file).
13. *Returns are kept on disk* between reading and writing (`consult/store.py`,
    `ReturnStore`: a list whose items are pickled into an anonymous temporary file and read
    back one at a time). The collated document, the summary and the reports each read every
    return once; none needs them all at once. Reading a batch (`ingest`) now takes the memory
    of one return whatever the number; per-section lookups use `Collation.returned`, the
    groups and sections of each return, instead of reading the returns again.
14. The summary's paragraphs are made one at a time as they are written, its counts per
    section are counted as the returns are read back (it gathered every placement first),
    and each group's own changes are dropped once they have been merged and checked for
    conflicts.
15. Found by the draft-doubling series, which item 8 first made worse (2.27x): lxml counts an
    element's children for `len()` and moved the whole body to another document to
    serialise the part's opening (`shell`); the writer now takes the body's first child in
    O(1) and `shell` copies only the root. Records pickle as their field values
    (`model._Record`; `dataclass(slots=True)` looks the fields up for every object it
    unpickles: 15% of collate once returns were kept on disk), and `Draft.section_of`
    bisects instead of scanning the sections.

Second round, before and after items 8-12, CPU seconds and peak memory, fastest of 3 fresh
processes taking turns (the library calls only, same machine and workloads; the tables above
are the final state):

| Measurement | CPU before (s) | CPU after (s) | | Peak before (MB) | Peak after (MB) |
|---|---:|---:|---:|---:|---:|
| collate + save, 20 groups | 2.27 | 2.11 | -7% | 74 | 58 |
| collate + save, 80 groups | 8.39 | 7.54 | -10% | 142 | 74 |
| collate + save, 20 groups on the twice-size draft | 4.64 | 4.61 | -1% | 105 | 78 |
| collate + save, 125 small batch returns | 2.22 | 1.61 | -28% | 61 | 49 |
| collate + save, 500 small batch returns | 9.14 | 7.25 | -21% | 104 | 61 |
| ingest, 125 small batch returns | 1.99 | 1.24 | -38% | 38 | 37 |
| ingest, 500 small batch returns | 7.95 | 6.07 | -24% | 45 | 42 |

**Third round** (the session after; output byte-identical before and after on every workload
here: collated documents at 20 and 80 groups, twice the draft, 125 and 500 batch returns, every
annotated corpus file as a return on its own rejected self; the CSV, HTML, Markdown and JSON
reports of the sample and both batches; the packs of the 20-group workload, the sample and 26
corpus drafts):

16. *The merged changes and conflicts wait on disk* (`changes.merge_changes`). Each group's
    ops are filed by paragraph in a private temporary SQLite database (`store.Buckets`: a small
    page cache in memory, the rest on disk) and read back paragraph by paragraph: identical ops
    are merged within the paragraph and conflicts are found in the same sweep. A cluster of
    overlapping changes is judged once the sweep has read every paragraph it reaches (a
    group's insertion at the end of its deletion over several paragraphs joins the
    deletion), and merged ops go to an on-disk list (`store.DiskList`, 8 bytes an item in
    memory) once no undecided cluster can mark them. A test checks, with hypothesis and on the
    sample returns, that it gives exactly the ops and conflicts of the in-memory algorithm.
17. *The plan of the collated document waits on disk*: every run cut, deletion piece, op and
    comment mark is filed under the block it changes and taken when that block is written.
18. *Nothing per comment or per change is remembered after it is written*: comments are
    streamed a return at a time (a reply's thread link needs only its own return), paraIds
    only count up so only the draft's are remembered, and the revision ids the writer gives
    are only ever shared within one block, so duplicates among them are checked per block
    (`renumber_duplicates(fresh_from=...)`) and only the draft's ids are kept.
19. *Reports stream too*: report rows are sorted on disk a paragraph at a time, each
    paragraph's conflicts looked up as it is read; CSV, HTML and Markdown are written in
    chunks and `--json` is written as it is made (conflict by conflict).
20. *`distribute` describes the draft once* (`ooxml.document.facts`): each pack still re-opens
    the file (it is changed in place) but takes over the paragraphs' numbering and style facts
    instead of working them out again, which was half its time.

Third round, before and after items 16-20, CPU seconds and peak memory (fresh processes taking
turns on a quiet machine, the library calls only; the `consult collate --report --json` rows are
the command line, peak from `/usr/bin/time`):

| Measurement | CPU before (s) | CPU after (s) | | Peak before (MB) | Peak after (MB) |
|---|---:|---:|---:|---:|---:|
| collate + save, 20 groups | 2.58 | 2.81 | +9% | 55 | 55 |
| collate + save, 80 groups | 8.60 | 8.62 | +0% | 64 | 56 |
| collate + save, 20 groups on the twice-size draft | 4.45 | 4.46 | +0% | 73 | 72 |
| collate + save, 125 small batch returns | 1.79 | 2.02 | +13% | 46 | 46 |
| collate + save, 500 small batch returns | 6.79 | 7.70 | +13% | 54 | 47 |
| distribute, 20 full packs | 3.42 | 2.45 | -28% | 68 | 70 |
| `consult collate --report --json`, 125 small batch returns | 2.63 | 2.73 | +4% | 49 | 46 |
| `consult collate --report --json`, 500 small batch returns | 9.39 | 9.47 | +1% | 80 | 47 |

The CPU figures of one measurement still vary by up to 15% between runs of this table (a
second run gave -4% for 500 batch returns); counted under `cProfile`, collating 500 batch
returns makes 5% more function calls than before (22.5 against 21.4 million): the price of
filing and reading back. The peaks are what this round is for: `consult collate --report
--json` on 500 returns went from 80 MB to 47 MB, the same as for 125.

**Looked at and left alone**: `OffsetMap` making a diff-match-patch engine per call costs
microseconds (the diffs themselves, `diff_bisect`, are 3-5%); `Package.open` reading every
part is 2-3%; accepting tracked changes when the draft is re-opened is part of a 3% phase.

**Reading the targets** (the targets table above is this run's verdict)

- *Batch memory is flat, not constant*: from 125 to 500 returns collate's peak still gains
  about a megabyte (see the targets table), what stays in memory per return: its name,
  sections, counts and messages (`Collation.tallies`, `.messages`) and 8 bytes for each item
  on disk. Two rounds ago it was +71%, last round +17% (items 13-14 held the returns on disk;
  the merged changes, conflict notes and the writer's plan were still in memory).
- *`--jobs 2` only gains what the machine gives it.* The machine was shared with other
  sessions' test runs; when their jobs held the second core, two processes ran one at a time
  (CPU time about equal to wall-clock time in the `--jobs 2` rows). With the second core
  free, collate of the 20-group workload runs about 1.5x as fast and a batch of 500 small
  returns about 1.6x (reading is about 80% of collate and is what runs in parallel).
- *Scaling measurements are noisy here, and the doublings sit at about 2.0x, so a single run
  can land either side of 2.2x.* The same collate varies by up to a half from one process to
  the next, CPU time included (co-running jobs share caches and memory bandwidth; the VM has
  no hardware counters to count instructions instead). Three full runs in the second round
  (the first before item 15) gave, as median of within-pass ratios (fastest passes in
  brackets): groups 10/20/40/80 1.79/1.86/1.89 (-), 1.52/1.90/2.04 (1.71/2.00/1.99),
  1.91/2.02/1.93 (1.70/2.25/1.77); draft half/one/twice 2.02/2.27 (-), 1.84/2.36 (2.14/1.98),
  2.07/2.05 (1.98/2.23). In the third round a full run before the one above gave groups
  1.80/1.98/2.26 (1.80/1.94/2.26) and draft 2.03/2.16 (2.03/2.06): its 40-group collate took
  4.50 to 6.08 s CPU over the five passes. Counted rather than timed, the work grows as
  before: under `cProfile` collating 80 groups makes 1.96x the function calls of 40 groups,
  both before this round (20.2 against 10.3 million) and after it (22.0 against 11.2
  million). The targets table judges this run by the median, as the first round did. Under `cProfile`, which counts the Python work whatever else the machine does, twice
  the draft takes 2.03x. From 40 to 80 groups collate writes twice the changes and three times
  the conflicts (265 to 825: eight groups instead of four read each section, and overlaps grow
  with the pairs of groups), each conflict comment quoting every group's version; it measured
  2.13x-2.29x before this round.
- *The floor is affine, not linear*: every return carries python-docx's template styles
  (0.8 MB of `styles.xml` and `stylesWithEffects.xml`) that the floor parses and consult only
  copies, so `x floor` is lower for small drafts and higher for big ones; it is a fixed cost
  per file, and the doublings are the check for super-linear work.

**Where the time goes now** (the profile above; a sampling profiler agrees: `python -m
pyinstrument bench/step.py bench/work/s1-x1-g20-lo/workload.json collate`, pyinstrument 5.1.3,
gives of collate's 3.7-4.0 s reading the returns 66-68%, of which walking their text,
comments and revisions 36-39%; writing the response 23-24%; merging and finding conflicts 4%;
re-opening the draft 3%): reading the returns is about three quarters of collate under
cProfile, two thirds sampled; within it the remaining walk is the text of every paragraph of every
return (`textview.segments`), then diffs for untracked edits and placing. Writing the
response is about a fifth: changing the blocks and serialising them about equally. What is
kept on disk costs about a tenth under the profiler (the last three rows of the phases,
which overlap the others): reading the returns, merged ops and conflicts back (each return
about ten times: sorting, merging, comments, summary, messages) about 6%, filing the groups'
changes and the document's plan and reading them back about 3%. Counted in function calls,
collating 500 small returns does 5% more work than before the third round; measured in
time, the difference is inside the machine's noise (its table).
"""

METHOD = """
- **One command.** `python bench/run.py` builds the workloads (or reuses them from
  `bench/work/`, keyed by seed, size and the generator's source), runs every measurement and
  writes this file; `--quick` measures the 20-group workload once, reads 5 returns with pandoc
  (scaled to 20) and runs a 100-return batch, without the scaling series. `--seed`, `--batch N`,
  `--repeat N` (passes per measurement, 5 by default) and `--fresh` change the rest;
  `--report-only` rewrites this file from the last run's measurements (`bench/work/last-run.json`).
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
  groups each. Every point is measured like the main workload; a doubling is the median,
  over the passes, of the ratio of the two points' CPU times within one pass (every pass
  measures every point in turn), which drifts in the machine's load disturb less; the ratio
  of the two points' fastest passes is shown beside it.
- **Batch**: `collate` of N/4, N/2 and N small returns with `jobs=1` and `jobs=2`,
  `collate-reports` (collate, then the CSV, HTML and Markdown reports and the JSON summary, as
  `consult collate --report --json` does) and `ingest` of the same with `jobs=1`, one pass
  each.
- **Profile**: `cProfile` over one `collate` + `save` of the 20-group workload; the phases are
  cumulative times of the functions named.
"""
