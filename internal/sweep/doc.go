// Package sweep hands a test the strings on which it checks a fast
// function against the call it stands for (a byte loop for
// strings.ContainsAny, strings.Trim with a set outside ASCII): every
// string of a few bytes drawn from chosen ones (runes' starts and
// continuation bytes, valid UTF-8 or not), and random strings of chosen
// runes. It is used by tests only (ingest's, vn's).
package sweep
