//go:build unix

package main

import "syscall"

// fileLimit returns the process's limit on open descriptors (the soft
// RLIMIT_NOFILE, which Go has raised to the hard limit at start-up where it
// could), or 0 if it cannot be read.
func fileLimit() uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0
	}
	return uint64(lim.Cur)
}
