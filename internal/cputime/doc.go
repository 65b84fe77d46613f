// Package cputime reads the CPU time (user and system) the process has
// used so far (and its system part), and on Linux that of the calling thread. Benchmarks and the
// link's phase report print it beside wall time: on a shared, busy machine
// wall time counts the time other processes had the cores, CPU time much
// less so.
package cputime
