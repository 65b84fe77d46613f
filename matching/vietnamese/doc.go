// Package vietnamese is the Vietnamese side of matching: the adapter that
// reads a canonical record (schemas.Record) into the fields the matching
// engine compares, the settings that name those fields, and the model
// trained on them, kept beside each other so that a change to one is seen
// with the others. It sits between the language layer and the engine:
//
//	ingest ─> vn, address ─> matching (+ matching/vietnamese) ─> registry ─> pipelines ─> ClickHouse
//
// The Adapter derives the vn.* fields the settings read (name parts and
// keys by vn.ParseName, identification numbers by vn.ParseID, address
// units of both eras by address.Resolve, folded parents' names) and
// registers their lineage with settings.DeriveInputs, so that training
// never estimates a name comparison on pairs blocked on a name key.
// RecordKey is a record's identity in the matcher (the canonical record
// id), RecordLabel the code a person finds it by in the source.
//
// Settings is settings.yaml (thresholds fixed there, never tuned on
// labels); Trained is trained.yaml, the same settings with the model dancu
// train made without labels (TRAINING.md says how, and when to retrain).
// dancu link uses Settings (training on its input) when given no other;
// the registry and every score instance of dancu run load Trained.
//
// Both list generic_values: a 12-digit number or a CMND that more than 20
// records carry (a placeholder, a clerk's or a household head's number
// copied down a column) is read as no number on those records, so it
// neither makes a block of every record carrying it nor weighs as "same
// number" nor exempts them from the full_date guard (docs/accuracy.md,
// "generic values"). vn.ParseID still refuses only a CMND of one digit
// nine times: whether a well-formed number is a placeholder is told by how
// many records carry it, not by its digits.
package vietnamese
