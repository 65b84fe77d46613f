// Package address turns a free-text Vietnamese address into the
// administrative units it names, in both eras: the pre-reform province,
// district and commune (63 provinces, ~700 districts, ~10,000 communes, GSO
// codes as of March 2025, with the units renamed or merged since 2021) and
// the units in force since 1 July 2025 (34 provinces and 3,321 communes, no
// district level), linked by the official old→new mapping.
//
// It sits in the match stage of the flow:
//
//	ingest ─> Kafka ─> match (normalise: names, dates, addresses …) ─> Kafka ─> load
//
// where the permanent and current addresses of every canonical record are
// resolved so that records can be blocked and compared by commune, and
// coverage counted by province, district and commune. `dancu normalize
// address` exposes it on the command line.
//
// Addresses are read as people type them: type words glued to the name,
// cut to one letter or misspelt, letters dropped, doubled, swapped or
// replaced (a keyboard- and OCR-aware edit distance over the names of the
// units already found), digits and telex keys inside words, no
// separators, missing levels, initialisms, and the names units had before
// they were renamed or merged (resolved to the successor). Results of
// recent addresses are remembered (Stats).
//
// The gazetteer is built once from the embedded reference tables
// (internal/refdata) and shared by all callers; Resolve is safe for
// concurrent use. The date an address describes decides which era an
// unqualified name or a bare code means. When the text does not decide —
// an old commune split between several new ones, namesake communes, a new
// commune formed from several old ones — the Result says so with
// Candidates instead of guessing.
package address
