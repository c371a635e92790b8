//go:build !unix

package clipboard_test

import (
	"syscall"
	"testing"
)

func assertDetached(t *testing.T, attr *syscall.SysProcAttr) {
	t.Helper()
	if attr == nil {
		t.Error("SysProcAttr is nil: the clearer is not detached")
	}
}
