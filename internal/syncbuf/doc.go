// Package syncbuf is a bytes.Buffer several goroutines may write to at
// once: the destination of a slog handler (or a command's output) that a
// test reads while a server or the pipeline's stages write to it.
package syncbuf
