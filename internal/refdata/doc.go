// Package refdata embeds the reference tables dancu needs at run time:
// administrative units before and after the 1 July 2025 reform and the
// old→new mapping, identification-number code tables, Vietnamese name
// frequencies, legacy font-encoding tables, address abbreviations and the
// population figures used by coverage reports.
//
// It sits under every stage of the flow (gen, ingest, match, coverage) and
// does no parsing of its own beyond handing out the files and a small CSV
// helper. The files are copies of ../shared/data; data/SOURCES.md keeps
// their attribution and caveats and must travel with them.
package refdata
