// Package strtab stores many short strings compactly for the engine's
// long-lived tables (a frame's record ids and column values, link's
// source codes): their bytes back to back in one array and, per string,
// where it ends — four bytes a string beside its text, where a []string
// takes a sixteen-byte header and an allocation rounded up to a size
// class, and keeps alive whatever larger string it was sliced from.
package strtab
