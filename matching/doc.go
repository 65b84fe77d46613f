// Package matching decides which records are the same person: it
// blocks, compares, scores (Fellegi–Sunter), clusters, assigns person ids
// and identification numbers, and raises conflicts for police review. It
// runs what a settings document (package matching/settings) describes,
// and is the middle of the flow:
//
//	ingest ─> vn, address ─> matching ─> registry ─> pipelines ─> ClickHouse
//
// It runs offline on files (dancu link, train, eval, explain) and online
// on Kafka micro-batches through the identity registry (package registry).
//
// # Entry points
//
// In the order of a link:
//
//	s, _ := settings.Load("my.yaml")                 // package matching/settings; or vietnamese.Settings()
//	f := matching.NewFrame(s)                        // f.Add(id, source, getter, confidence) per record,
//	                                                 // or AddTable(f, t, mapping, source) for a mapped file
//	model, rep, _ := matching.Train(ctx, f, s, nil)  // when s has no Model: u, m by EM, λ (s.Model = model)
//	pairs, _, _ := matching.Predict(ctx, f, s)       // candidate pairs with their match weight
//	cl, _ := matching.Cluster(f, s, pairs)           // persons, under the guards, average linkage
//	res, _ := matching.Link(ctx, f, s)               // all three, with the reports: a Result
//	persons, conflicts := matching.Summarise(res, personID)
//	x := matching.ExplainPair(f, res.Settings, a, b) // the waterfall of one pair's weight
//
// The rest of the exported names serve those:
//
//   - Reading other layouts: ReadTable, LoadMapping and AddTable (a CSV
//     or XLSX file whose columns a mapping file renames, as the FEBRL and
//     fake_1000 benchmarks are), ReadLabels (labelled pairs for Train).
//   - Results: Result, Pair, Clusters, TrainReport (and its
//     SessionReport, BlockingCoverage), PredictStats, Explanation (Step),
//     Assign and Summarise (person ids, identification numbers, conflicts).
//   - Diagnostics of blocking, before and after any comparison:
//     AnalyseBlocking (BlockingStats: pairs per rule, largest blocks),
//     PairsCompleteness (against a truth) and CheckLargest (the largest
//     clusters' pairs). They read the frame's blockers and compiled
//     comparisons, so they stay in this package.
//   - The streaming registry's hooks (package registry): KeyMaker
//     (blocking keys of one row), ScorePairs, FreezeTermFrequencies,
//     EncodePersonGuards (PersonGuards: the same for many persons of
//     one frame; a binary form since reg25, PersonGuardsJSON reads it
//     and CompactPersonGuards rewrites the JSON before it), MatchWeight, ConfidenceByte, RowCopier (rows
//     carried from one frame to another, one by one or a column at a
//     time: CopyRows); it then calls Cluster and
//     Summarise on the match components of a batch.
//
// Beside it: matching/settings (the schema: Settings and what they are
// made of, parsed, checked and documented without a frame),
// matching/vietnamese (the adapter of canonical records, the Vietnamese
// settings and their trained model), matching/compare (string and OCR
// similarity), matching/eval (precision and recall against a truth) and
// registry/offline (the registry of dancu link --registry). A conflict's
// id (ConflictKey, ConflictID) is package schemas'.
//
// The model follows Splink's, as data:
//
//   - Settings (package matching/settings; YAML/JSON, versioned; the
//     language is in SETTINGS.md, printed by dancu settings doc) name the columns derived from each
//     record, the blocking rules, the comparisons — each an ordered list of
//     levels, null first and else last — the guards, vetoes and thresholds,
//     and once trained the Model (m and u per level, λ). Embedded settings:
//     febrl and fake_1000 (the public benchmarks, named by mapping files).
//     The Vietnamese settings, their trained model and the adapter that
//     reads canonical records into their fields (over packages vn and
//     address) are package matching/vietnamese.
//   - A Frame holds the records column by column: interned values, rune
//     slices and term counts, so the hot loop compares integers and
//     precomputed slices and allocates nothing (compare package).
//   - Blocking makes candidate pairs per rule; their union is deduplicated
//     by rule precedence (a pair is scored by the first rule that makes
//     it). Blocks over a rule's max_block are split by sorted
//     neighbourhood. AnalyseBlocking and PairsCompleteness measure rules
//     before any comparison.
//   - Train estimates without labels: u from random pairs, m by EM over
//     each rule's pairs (Splink's sessions) with every comparison left out
//     that shares an input field with the rule's keys — columns carry
//     their lineage (settings.Lineage: a soundex of the surname, or vn.family_key,
//     derives from the surname or full_name), so a session blocked on a
//     name key never estimates a name comparison. λ comes from EM over all
//     candidate pairs, or, when the settings name deterministic rules,
//     from their pairs over their recall (as Splink does), checked against
//     EM. The report warns (dancu train/link --strict fail) when a session
//     matches over 0.9 of its pairs, sessions disagree on m, or λ implies
//     an implausible number of matching pairs. Labelled pairs (review
//     decisions) can add to m. The prior of a pair is the global λ (two
//     random records), because the comparisons score the blocked fields
//     again.
//   - Predict scores every candidate pair: the sum of log2(m/u) of its
//     levels, term-frequency adjustments on names ("Nguyễn" says little),
//     weights scaled by OCR confidence, vetoes.
//   - Cluster joins pairs at or above the match probability (0.5, fixed in
//     the settings, never tuned on labels) strongest first; one rule for
//     every settings file. An edge joins its two clusters only when
//     (1) the cluster-level guards allow it: no two different values of
//     a distinct guard (valid identification numbers, sexes), birth years
//     within a year_span guard (as training fitted it to the data,
//     Model.Guards); and (2) average linkage holds: the mean match
//     probability over the clusters' cross pairs that some blocking rule
//     proposes (keys equal), each scored by the model and counted once
//     per rule proposing it (the mean over blocking's proposals),
//     reaches the match threshold, and at least half the cross pairs
//     are such, or fewer but as many as one person's records could
//     have by chance (a binomial test at training's estimate of
//     blocking recall, Model.BlockingRecall, which lets small joins
//     through), or one of the clusters is a single record (whose pairs
//     share a key or not together: one record is no chain). The mean is
//     judged with what each cluster's records agree on (support): a
//     single record may also join when it reaches the threshold against
//     the values two or more of its cluster's records share, and two
//     clusters whose shared values of a comparison land on its else
//     level count that comparison's else weight once more per record of
//     the smaller group beyond the first. Both tests
//     look only at the two clusters (not at which other records a frame
//     holds), so an incremental matcher (package registry) reproduces it
//     by calling Cluster again on the match components of a batch's new
//     records. A link of the Vietnamese adapter resting on a common full
//     name and a birthday alone (addresses in no common province, no
//     number or parent's name agreeing, a name the national register
//     holds on one day at least Thresholds.Namesakes times: vn.Namesakes)
//     is no edge at all: a possible match (possibleRule, acc54), kept
//     apart whatever its weight and raised by Summarise. CheckLargest scores the largest
//     clusters' pairs; dancu link prints them and flags implausible ones.
//   - Summarise gives each person its identification number and status
//     (confirmed, inferred, conflicting, missing) checked with vn.ID.Check,
//     and the conflicts: shared_id, two_ids, id_contradicts, grey_zone,
//     ambiguous_tie — the review desk's mandatory kinds — and
//     possible_match, reviewed on demand (schemas.MandatoryConflict).
//
// Figures on the benchmarks and on generated populations are in
// RESULTS.md beside this file.
package matching
