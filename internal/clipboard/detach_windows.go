package clipboard

import "syscall"

// detachedProcess is DETACHED_PROCESS: no console.
const detachedProcess = 0x00000008

// detached runs the clearer without a console, in its own process group, so
// that closing the console or Ctrl-C does not end it.
func detached() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{
		CreationFlags: detachedProcess | syscall.CREATE_NEW_PROCESS_GROUP,
		HideWindow:    true,
	}
}
