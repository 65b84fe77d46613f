// Package chaos is the crash-anywhere harness: it runs the real dancu
// processes — `dancu broker`, `dancu clickhouse`, `dancu run` and
// `dancu import`, from one binary built beforehand — on a population made
// by `dancu gen`, SIGKILLs a randomly chosen one at random moments,
// restarts it, and at the end compares ClickHouse with a clean run of the
// same population: the same records (none missing, none doubled after
// FINAL), every record linked, and the same persons.
//
// Every run ends with a corrected list: a copy of the first generated CSV
// list, written from the seed with rows changed, left out and added
// (correct.go), imported with `dancu import --replaces`, which withdraws
// the old list's records (issue 9's invariant (e) across withdrawals).
// With Config.AimAtCorrection one kill more a run lands within the time
// that import took in the clean run. The compare then counts records
// withdrawn otherwise than in the clean run, records in force without an
// open link, withdrawn records whose link is not closed, and coverage's
// aggregates by province against a brute-force count over
// records_in_force and persons FINAL; persons are compared over the
// records in force.
//
// Where it sits in the flow: outside it. It drives the whole flow
//
//	gen ─> import ─> Kafka ─> run (match, load) ─> ClickHouse
//
// as an operator would, and checks the promise of issue 8: a SIGKILL of
// any process at any moment, and a restart, leaves no row missing and none
// doubled. A short form (three kills) runs in the default tests
// (TestCrashAnywhere); `dancu chaos --runs N --seed S` runs the long form.
//
// A supervisor restarts every long-running process that exits, whether
// the harness killed it or it stopped because another was killed (a
// `dancu run` whose ClickHouse vanished exits with an error): those
// collateral restarts are counted apart from the kills. An import that is
// killed or fails is run again, as an operator would; imports are
// idempotent (record ids come from the file's content).
//
// Config.Matchers runs the score role of a scaled-out match stage as
// processes of their own (score-i), Config.Loaders the load stage
// (load-i, `dancu run --stages load`, with `dancu run --stages match`
// beside them); each is killed as the others are. Config.SeparateHomes
// gives each load process a new, empty home at each start (a machine that
// never came back), so that a block of deltas a killed loader left is
// finished only from the load group's share (pipelines' sink_shared.go).
//
// Persons are compared as partitions of records (which records are
// together), and, separately, by their ids: a person's id comes from its
// founding record (registry.PersonID), so the same partition gives the
// same ids, except where a kill changed which record of a person reached
// the registry first.
package chaos
