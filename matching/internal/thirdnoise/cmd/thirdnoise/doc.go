// Command thirdnoise writes a corrupted copy of a clean `dancu gen --noise
// 0` set with package thirdnoise's kinds, or breaks dancu link's errors on
// such a set down by kind (othernoise's breakdown, which reads kinds.csv):
//
//	thirdnoise corrupt CLEAN_DIR OUT_DIR SEED
//	thirdnoise breakdown OUT_DIR clusters.csv
package main
