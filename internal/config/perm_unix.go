//go:build unix

package config

import (
	"os"
	"syscall"
)

// ownerCheckable: file modes and owners mean what checkOwnPath expects.
const ownerCheckable = true

func fileOwner(info os.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

func currentUID() int { return os.Geteuid() }
