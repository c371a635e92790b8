package prompt

import (
	"bytes"
	"os"
	"testing"
)

type bufferFile struct{ bytes.Buffer }

func (*bufferFile) Fd() uintptr { return os.Stderr.Fd() }

// colorless drops colour sequences only, including one cut between two writes.
func TestColorlessKeepsAllButColour(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string
		want   string
	}{
		{"colour around text", []string{"\x1b[0;1;36m? \x1b[0mRole\x1b[0m"}, "? Role"},
		{"cursor movements kept", []string{"\x1b[1A\x1b[2K\x1b[?25l\x1b[6n\x1b[1G"}, "\x1b[1A\x1b[2K\x1b[?25l\x1b[6n\x1b[1G"},
		{"a sequence cut in two", []string{"a\x1b[0;3", "2mb\x1b", "[1Ac"}, "ab\x1b[1Ac"},
		{"an escape that starts no sequence", []string{"\x1bOx\x1b[m"}, "\x1bOx"},
		{"plain text", []string{"Viewer\r\n"}, "Viewer\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bufferFile
			c := &colorless{FileWriter: &out}
			for _, w := range tc.writes {
				if n, err := c.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			if got := out.String(); got != tc.want {
				t.Fatalf("wrote %q, want %q", got, tc.want)
			}
		})
	}
}
