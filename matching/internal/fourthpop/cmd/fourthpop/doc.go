// Command fourthpop writes a population not from dancu gen (package
// fourthpop): the four sources' files, truth.csv, kinds.csv and persons.csv.
//
//	go run ./matching/internal/fourthpop/cmd/fourthpop --persons 16000 --seed 1901 --out DIR
//	go run ./matching/internal/fourthpop/cmd/fourthpop breakdown --dir DIR --pred clusters.csv
package main
