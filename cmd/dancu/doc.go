// Command dancu builds Vietnam's population register: it generates test
// populations, imports spreadsheets and scanned forms into Kafka, matches
// records to persons and loads everything into ClickHouse.
//
// It is the thin layer over the flow: flags and environment are read here
// and nowhere else, then handed as plain config structs to ingest,
// matching, pipelines and the embedded engines. One file per subcommand:
//
//	demo        the whole pipeline on embedded defaults
//	gen         synthetic population with ground truth
//	import      spreadsheets and scanned forms → Kafka (progress bar on a
//	            terminal: internal/progress)
//	run         match, load and score stages (Kafka → match → Kafka →
//	            ClickHouse); its progress, lag, drain and stop lines: runlog.go
//	coverage    records and persons by province, district, commune
//	serve, users, review   the web application (conflict desk, coverage
//	            pages), its accounts, and the desk from scripts
//	dead-letters   what the stages could not process, and its replay
//	link, train, eval, explain   the matching engine on files
//	settings    the settings language (doc) and a settings file's check
//	normalize   names, addresses, dates, sex, ids
//	broker, clickhouse, migrate  the embedded Kafka broker and ClickHouse
//	chaos, bench   crash-anywhere harness and benchmarks of the parts
package main
