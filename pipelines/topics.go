package pipelines

import "github.com/dancu-vn/dancu/internal/kafkax"

// Topics of the flow (declared once, in kafkax; these are aliases for
// readers of this package), and the header that says what a message on TopicMatched holds.
const (
	TopicRecords = kafkax.TopicRecords // canonical records from import (Arrow IPC)
	TopicRejects = kafkax.TopicRejects // rejected input rows from import (Arrow IPC of schemas.Reject)
	TopicMatched = kafkax.TopicMatched // match output: enriched records, persons, links, conflicts
	TopicDead    = kafkax.TopicDead    // messages a stage could not decode, with the error in a header
	// TopicDecisions carries police decisions (JSON schemas.Decision) to
	// the match stage's registry.
	TopicDecisions = kafkax.TopicDecisions
	// TopicLoadPending carries the inserts of coverage deltas a load stage
	// left unfinished, for the next member given their partitions
	// (KafkaPendingShare).
	TopicLoadPending = kafkax.TopicLoadPending

	// HeaderKind names the row type of a message on TopicMatched.
	HeaderKind = "dancu-kind"
	// HeaderCaughtUp marks every message of a micro-batch's output on
	// TopicMatched that the match stage wrote with nothing left waiting
	// in its input: "batch/n", the micro-batch's id and its message
	// count. A load stage holding all n flushes at once instead of
	// waiting out its MaxWait for rows that are not coming (matchHeaders).
	HeaderCaughtUp = "dancu-caught-up"

	KindRecords   = "records"
	KindPersons   = "persons"
	KindLinks     = "links"
	KindConflicts = "conflicts"
	KindRejects   = "rejects"
	// KindPersonEvents are merges and splits of persons
	// (schemas.PersonEvent), for the person_events table.
	KindPersonEvents = "person_events"
	// KindPersonDeltas are the registry's coverage deltas of the persons
	// it wrote (schemas.PersonDelta), for the person_deltas table.
	KindPersonDeltas = "person_deltas"
	// KindRecordDeltas are the registry's coverage deltas of the records
	// of a batch, summed by unit (schemas.RecordDelta), for the
	// record_deltas table.
	KindRecordDeltas = "record_deltas"
	// KindPersonDeltaSums are the registry's coverage deltas of the
	// persons of a batch, summed by unit (schemas.PersonDeltaSum), for
	// the person_delta_sums table.
	KindPersonDeltaSums = "person_delta_sums"
)
