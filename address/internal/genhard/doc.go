// Command genhard writes a labelled set of addresses as people really
// type them: official addresses from the reference tables passed through
// a corruption model (see address/README.md, "The hard set"). Every
// address carries at least one corruption; the note column lists the
// classes applied, so accuracy can be reported per class.
//
//	go run ./address/internal/genhard -seed 11 -n 1000 -o testdata/addresses/hard_tune.csv
package main
