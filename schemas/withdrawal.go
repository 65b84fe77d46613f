package schemas

import "time"

// Withdrawal takes records out of the register: a data team replaced the
// file (or batch) they came from with a corrected one (dancu import
// --replaces), and the records of the old file the new one does not hold
// again are withdrawn. It travels on dancu.records itself, beside the
// record batches, so that it keeps its order against the adds (message
// kind "withdrawal", JSON, key = WithdrawalID).
//
// The registry takes every piece of evidence the records gave out —
// their blocking entries, edges, guard and number entries — reclusters
// the persons they belonged to (a split where a withdrawn record bridged
// two parts; every surviving part keeps the id rules of a split), and
// writes person events with Reason "withdrawn:" + Batch. Withdrawing a
// record again, or one the registry never held, changes nothing.
type Withdrawal struct {
	WithdrawalID string    `json:"withdrawal_id"` // deterministic from Batch and RecordIDs
	Batch        string    `json:"batch"`         // the import batch (b…) or file that replaced them
	Replaces     string    `json:"replaces"`      // the batch (b…) or file replaced
	RecordIDs    []string  `json:"record_ids"`    // the records withdrawn
	User         string    `json:"user"`          // who ran the import
	At           time.Time `json:"at"`
	// LoadedAt is the replacing import's time (Record.LoadedAt): the
	// registry dates the withdrawal's coverage deltas and persons by it;
	// zero (an older dancu's withdrawal) by its clock.
	LoadedAt time.Time `json:"loaded_at,omitzero"`
}

// WithdrawnPrefix begins, followed by the withdrawal's batch, the reason
// of a person event a withdrawal caused and the merged_into of a person
// it retired (no record left): "withdrawn:<batch>".
const WithdrawnPrefix = "withdrawn:"
