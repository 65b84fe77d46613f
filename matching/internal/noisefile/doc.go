// Package noisefile holds what the corruption models of dancu's matching
// (othernoise, thirdnoise) share: reading and writing gen's CSV lists by
// column name, and counting the kinds each record was given; and what the
// populations' breakdowns (fourthpop, fifthpop) read: two columns of a
// CSV file as a map (Pairs).
package noisefile
