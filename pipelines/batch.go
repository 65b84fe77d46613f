package pipelines

import (
	"fmt"

	"github.com/dancu-vn/dancu/schemas"
	"github.com/segmentio/kafka-go"
)

// Batch is a set of rows bound for the sink, of every kind.
type Batch struct {
	Records   []schemas.Record
	Persons   []schemas.Person
	Links     []schemas.Link
	Conflicts []schemas.Conflict
	Rejects   []schemas.Reject
	// PersonEvents are the registry's merges and splits (person_events).
	PersonEvents []schemas.PersonEvent
	// PersonDeltas are the registry's coverage deltas (person_deltas).
	PersonDeltas []schemas.PersonDelta
	// RecordDeltas are the registry's records' coverage deltas
	// (record_deltas).
	RecordDeltas []schemas.RecordDelta
	// PersonDeltaSums are the registry's persons' coverage deltas summed
	// by unit (person_delta_sums).
	PersonDeltaSums []schemas.PersonDeltaSum
}

// Len is the number of rows of all kinds.
func (b *Batch) Len() int {
	return len(b.Records) + len(b.Persons) + len(b.Links) + len(b.Conflicts) + len(b.Rejects) + len(b.PersonEvents) + len(b.PersonDeltas) + len(b.RecordDeltas) + len(b.PersonDeltaSums)
}

func (b *Batch) reset() { *b = Batch{} }

func kindOf(m kafka.Message) string {
	for _, h := range m.Headers {
		if h.Key == HeaderKind {
			return string(h.Value)
		}
	}
	switch m.Topic {
	case TopicRejects:
		return KindRejects
	case TopicRecords:
		return KindRecords
	}
	return ""
}

// add decodes one Kafka message into b.
func (b *Batch) add(m kafka.Message) error {
	var err error
	switch k := kindOf(m); k {
	case KindRecords:
		var rs []schemas.Record
		rs, err = schemas.DecodeRecords(m.Value)
		b.Records = append(b.Records, rs...)
	case KindPersons:
		var rs []schemas.Person
		rs, err = schemas.DecodeRows[schemas.Person](m.Value)
		b.Persons = append(b.Persons, rs...)
	case KindLinks:
		var rs []schemas.Link
		rs, err = schemas.DecodeRows[schemas.Link](m.Value)
		b.Links = append(b.Links, rs...)
	case KindConflicts:
		var rs []schemas.Conflict
		rs, err = schemas.DecodeRows[schemas.Conflict](m.Value)
		b.Conflicts = append(b.Conflicts, rs...)
	case KindRejects:
		var rs []schemas.Reject
		rs, err = schemas.DecodeRows[schemas.Reject](m.Value)
		b.Rejects = append(b.Rejects, rs...)
	case KindPersonEvents:
		var rs []schemas.PersonEvent
		rs, err = schemas.DecodeRows[schemas.PersonEvent](m.Value)
		b.PersonEvents = append(b.PersonEvents, rs...)
	case KindPersonDeltas:
		var rs []schemas.PersonDelta
		rs, err = schemas.DecodeRows[schemas.PersonDelta](m.Value)
		b.PersonDeltas = append(b.PersonDeltas, rs...)
	case KindRecordDeltas:
		var rs []schemas.RecordDelta
		rs, err = schemas.DecodeRows[schemas.RecordDelta](m.Value)
		b.RecordDeltas = append(b.RecordDeltas, rs...)
	case KindPersonDeltaSums:
		var rs []schemas.PersonDeltaSum
		rs, err = schemas.DecodeRows[schemas.PersonDeltaSum](m.Value)
		b.PersonDeltaSums = append(b.PersonDeltaSums, rs...)
	default:
		return fmt.Errorf("decode message %s/%d@%d: unknown kind %q", m.Topic, m.Partition, m.Offset, k)
	}
	if err != nil {
		return fmt.Errorf("decode message %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	return nil
}
