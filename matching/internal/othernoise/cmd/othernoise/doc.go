// Command othernoise writes a corrupted copy of a clean `dancu gen --noise
// 0` set with package othernoise's kinds, or breaks dancu link's errors on
// such a set down by kind:
//
//	othernoise corrupt CLEAN_DIR OUT_DIR SEED
//	othernoise breakdown OUT_DIR clusters.csv
package main
