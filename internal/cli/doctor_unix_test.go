//go:build unix

package cli

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/k2geospatial/apikeys/internal/testenv/variantapi"
)

// --report naming a pipe or a device (/dev/stdout) is a usage error before anything is
// sent: the atomic write would replace it with a file. A pipe stands for /dev/stdout here,
// so that a regression replaces nothing but the test's own.
func TestDoctorReportRefusesAPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "report.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	v := variantapi.New(t)
	code, out, errOut := runAgainstVariant(t, v, "doctor", "--report", fifo)
	want := "Error: --report " + fifo + " is not a regular file: give a file name (-o json prints the whole report on stdout)\n" +
		"Run 'apikeys doctor --help' for usage.\n"
	if code != exitUsage || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
	if n := v.Requests(); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}
