package testkit

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes cmd's process get SIGKILL when the test binary exits.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
