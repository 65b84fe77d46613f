package chdb

import "sync/atomic"

// EngineStats is a snapshot of an engine's counters since it started.
type EngineStats struct {
	Queries     int64 // statements run for callers (not counting USE/SET issued by Query itself)
	Errors      int64 // of which failed
	RowsRead    int64
	RowsWritten int64
}

type engineCounters struct {
	queries, errors, rowsRead, rowsWritten atomic.Int64
}

// Stats returns the engine's counters.
func (e *Engine) Stats() EngineStats {
	return EngineStats{
		Queries:     e.counters.queries.Load(),
		Errors:      e.counters.errors.Load(),
		RowsRead:    e.counters.rowsRead.Load(),
		RowsWritten: e.counters.rowsWritten.Load(),
	}
}

// HandlerStats is a snapshot of the HTTP front end's counters.
type HandlerStats struct {
	Requests    int64 // query requests (not /ping)
	Exceptions  int64 // answered with an exception
	Inserts     int64 // INSERT bodies spooled to a file
	InsertBytes int64 // bytes spooled
}

type handlerCounters struct {
	requests, exceptions, inserts, insertBytes atomic.Int64
}

// Stats returns the front end's counters.
func (h *Handler) Stats() HandlerStats {
	return HandlerStats{
		Requests:    h.counters.requests.Load(),
		Exceptions:  h.counters.exceptions.Load(),
		Inserts:     h.counters.inserts.Load(),
		InsertBytes: h.counters.insertBytes.Load(),
	}
}
