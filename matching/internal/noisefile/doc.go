// Package noisefile holds what the corruption models of dancu's matching
// (othernoise, thirdnoise) share: reading and writing gen's CSV lists by
// column name, and counting the kinds each record was given; and what the
// populations' breakdowns (fourthpop, fifthpop, sixthpop) read: a CSV file
// by column name (ReadCSV) and two of its columns as a map (Pairs).
package noisefile
