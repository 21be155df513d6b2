//go:build !unix

package main

// fileLimit returns 0, unknown: systems other than Unix (Windows) have no
// small per-process limit on open sockets, so the overall cap is
// memoryConns.
func fileLimit() uint64 { return 0 }
