//go:build !unix && !windows

package clipboard

import "syscall"

// detached has nothing to add on this platform.
func detached() *syscall.SysProcAttr { return nil }
