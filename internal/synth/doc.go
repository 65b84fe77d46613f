// Package synth generates a synthetic Vietnamese population with ground
// truth, and the noisy source records such a population leaves behind.
//
// It sits before the flow: `dancu gen` writes what the real sources would
// send — provincial spreadsheets (CSV, XLSX) and scanned census forms
// (JSON lines from form recognition) — so that ingest, matching and
// loading can be tested and measured against a known truth (truth.csv:
// record id → person id; persons.csv; conflicts_truth.csv for the
// identification-number conflicts planted on purpose).
//
// Everything is drawn from the embedded reference tables (internal/refdata):
// households live in real communes weighted by the 2019 census, names come
// from the published frequency tables, identification numbers follow the
// rules of Thông tư 07/2016 and 59/2021 (province of birth registration,
// century and sex, year of birth, serial), and addresses are written in the
// units in force at the date the source describes (before or after the
// 1 July 2025 reform). Config.Provinces (dancu gen --provinces) puts the
// whole population in a few provinces, as a real import's lists are: there
// two people share a commune far more often than over the country.
//
// Noise follows what real forms carry: diacritics and tone styles, typos,
// middle names dropped or added (Nguyễn Ngân / Nguyễn Văn Ngân), scanner
// errors on scanned forms (marks lost, look-alike letters N↔M, H↔B, U↔V,
// I↔T, misread digits and years: 2014 → 2814) with per-field OCR
// confidence, dates year-only, swapped, a year off or with day 00,
// identification numbers missing or mistyped, CMND or not, addresses
// abbreviated or missing a level in either era. Config.NoiseProfile picks
// the mix: "default" (the original one, without the middle names added,
// look-alike letters, years off or misread and days 00), "forms" (all of
// them: what the Vietnamese model was developed on), "holdout" (the same
// kinds at other rates, kept for evaluation only), "harsh" (every kind at
// other rates, with addresses in the other era, blank dates and addresses
// and impossible days) and "blind" (fixed before tuning on harsh,
// evaluated once); dancu gen --help says the same.
//
// Generation is deterministic for a seed and streams household by
// household, so memory stays bounded whatever the population size.
// Historical and FakeStyle generate, instead, dedupe sets in the shape of
// public benchmarks (historical persons; Splink's fake_1000) for
// measuring the generic engine with settings written from its docs
// (`dancu gen --shape`). AddressSample exposes the address renderer and its noise to the address
// normaliser's tests. WriteMessy writes the small messy provincial sheets
// (legacy TCVN3 and VNI fonts, title rows, merged headers, village sheets,
// Windows-1258 CSV) in testdata/sheets that ingest's tests read, with an
// expected.json derived from what was generated.
package synth
