// Package progress shows how far a long command has got: on a terminal, a
// bar redrawn in place with the total, the percentage, the rate and the
// time left; anywhere else (a log file, a pipe, CI), a plain line about a
// second in and then every few seconds, which stays readable in a log.
//
// Where it sits in the flow: it is plumbing of the command line. dancu
// import feeds it the bytes an ingest.Source has read (ingest.Progresser)
// and the rows pipelines.Import has counted, while the rows travel
// file → ingest → Kafka; nothing else in the flow depends on it.
package progress
