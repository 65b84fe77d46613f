package pipelines

import (
	"log/slog"
	"maps"
	"slices"

	"github.com/dancu-vn/dancu/registry"
	"github.com/dancu-vn/dancu/schemas"
)

// A record whose id was withdrawn (dancu import --replaces) and that is
// published again — the old file re-imported some other way than dancu
// import, a batch replayed from the dead letters, a message published by
// hand — is refused by the registry (registry.Output.Refused), as
// ClickHouse keeps it out for good (withdrawn_records). The match stage
// counts it (MatchStats.Refused, metric match_refused_total) and logs the
// refusals of each micro-batch at info level with the batches that
// withdrew them and a few ids cut short. The refused records are not
// sent to the dead letters: the refusal is final (a replay would be
// refused again), and their rows reach ClickHouse with the micro-batch's
// records, where records_in_force leaves them out.

// shownRefused bounds the ids a refusal's log line shows.
const shownRefused = 3

// maskedRecordID is a record id cut short for a log line: enough to find
// it, not the whole id (a record id is a hash of its file, sheet and row,
// but logs at info level hold no full ids).
func maskedRecordID(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:8] + "…"
}

// logRefused logs a micro-batch's refused records (registry.Refusal).
func logRefused(log *slog.Logger, refused []registry.Refusal) {
	by := map[string]int{}
	var shown []string
	for _, f := range refused {
		by[f.WithdrawnBy]++
		if len(shown) < shownRefused {
			shown = append(shown, maskedRecordID(f.RecordID))
		}
	}
	log.Info("records refused: their ids were withdrawn by a corrected file; give them new ids to add them",
		"records", len(refused), "withdrawn_by", slices.Sorted(maps.Keys(by)), "ids", shown)
}

// logAlreadyWithdrawn warns that withdrawal w named records another
// corrected file's withdrawal had withdrawn: two corrections of one file
// (docs/import-log.md). Both withdrawals apply: the records stay
// withdrawn, and the records of both corrected files count until one
// replaces the other.
func logAlreadyWithdrawn(log *slog.Logger, w schemas.Withdrawal, before []registry.Refusal) {
	by := map[string]int{}
	for _, f := range before {
		by[f.WithdrawnBy]++
	}
	log.Warn("withdrawal names records another corrected file withdrew already: two corrections of one file both count until one replaces the other",
		"withdrawal", w.WithdrawalID, "batch", w.Batch, "replaces", w.Replaces, "records", len(before), "withdrawn_by", slices.Sorted(maps.Keys(by)))
}
