// Package matching decides which records are the same person: it
// normalises, blocks, compares, scores (Fellegi–Sunter), clusters, assigns
// person ids and identification numbers, and raises conflicts for police
// review. It is the middle stage of the flow:
//
//	ingest ─> Kafka ─> match ─> Kafka ─> load
//
// It runs offline on files (dancu link, train, eval, explain) and online
// on Kafka micro-batches in the pipeline (Engine.LinkBatch).
//
// The model follows Splink's, as data:
//
//   - Settings (YAML/JSON, versioned) name the columns derived from each
//     record, the blocking rules, the comparisons — each an ordered list of
//     levels, null first and else last — the guards, vetoes and thresholds,
//     and once trained the Model (m and u per level, λ). Embedded settings:
//     vietnamese (canonical records, read through RecordAdapter over
//     packages vn and address), febrl and fake_1000 (benchmarks).
//   - A Frame holds the records column by column: interned values, rune
//     slices and term counts, so the hot loop compares integers and
//     precomputed slices and allocates nothing (compare package).
//   - Blocking makes candidate pairs per rule; their union is deduplicated
//     by rule precedence (a pair is scored by the first rule that makes
//     it). Blocks over a rule's max_block are split by sorted
//     neighbourhood. AnalyseBlocking and PairsCompleteness measure rules
//     before any comparison.
//   - Train estimates without labels: u from random pairs, m by EM over
//     each rule's pairs with the comparisons that use the rule's columns
//     left out (Splink's sessions), then λ over all candidate pairs.
//     Labelled pairs (review decisions) can add to m. The prior of a pair
//     is the global λ (two random records), because the comparisons score
//     the blocked fields again.
//   - Predict scores every candidate pair: the sum of log2(m/u) of its
//     levels, term-frequency adjustments on names ("Nguyễn" says little),
//     weights scaled by OCR confidence, vetoes.
//   - Cluster joins pairs at or above the match probability (0.5, fixed in
//     the settings, never tuned on labels) strongest first, refusing links
//     that break a guard: two different valid identification numbers, or
//     birth years too far apart. With average linkage (settings
//     clustering.linkage, used by fake_1000) two clusters also join only
//     when their cross pairs, all scored by the model, average the match
//     probability — a guard against chaining through records with few
//     fields.
//   - Summarise gives each person its identification number and status
//     (confirmed, inferred, conflicting, missing) checked with vn.ID.Check,
//     and the conflicts: shared_id, two_ids, id_contradicts, grey_zone.
//   - A Registry keeps records and person ids between runs: relinking
//     keeps each person's id, records merges and splits, and gives the
//     same clusters as linking everything at once.
//
// Figures on the benchmarks and on generated populations are in
// RESULTS.md beside this file.
package matching
