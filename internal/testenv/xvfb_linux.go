package testenv

import "syscall"

// xvfbSysProcAttr has the kernel kill Xvfb if the test binary dies without Stop (a -timeout
// panic, a kill), so that no server outlives its test run.
func xvfbSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
