//go:build unix

package clipboard

import "syscall"

// detached puts the clearer in a session of its own: no controlling
// terminal, so neither Ctrl-C in the shell nor closing the terminal (SIGHUP)
// reaches it.
func detached() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true}
}
