// Command fifthpop writes a population of package fifthpop: the four
// sources' files, truth.csv, kinds.csv and persons.csv.
//
//	go run ./matching/internal/fifthpop/cmd/fifthpop --persons 16000 --seed 5101 --out DIR
//	go run ./matching/internal/fifthpop/cmd/fifthpop breakdown --dir DIR --pred clusters.csv
package main
