//go:build !linux

package testkit

import "os/exec"

// dieWithParent is a no-op outside Linux: the process outlives the tests.
func dieWithParent(*exec.Cmd) {}
