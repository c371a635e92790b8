//go:build !linux

package testenv

import "syscall"

// xvfbSysProcAttr has nothing to add where the kernel offers no parent-death signal.
func xvfbSysProcAttr() *syscall.SysProcAttr { return nil }
