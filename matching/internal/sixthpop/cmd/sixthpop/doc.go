// Command sixthpop writes a population of package sixthpop: the five
// sources' files, truth.csv, kinds.csv and persons.csv; and breaks a
// link's errors down by the generator's noise kinds.
//
//	go run ./matching/internal/sixthpop/cmd/sixthpop --persons 16000 --seed 6101 --out DIR
//	go run ./matching/internal/sixthpop/cmd/sixthpop breakdown --dir DIR --pred clusters.csv
package main
