package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/clipboard"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/output"
)

var versionUnderTest = cmdUnderTest[versionOptions]{
	build:      newVersionCmd,
	flagFields: func(versionOptions) versionOptions { return versionOptions{} }, // no flags of its own
	format:     func(o *versionOptions) func() (output.Format, error) { return o.Format },
}

// `apikeys version` alone is answered before the tree is built (run's fast path); these rows
// are the command itself, which -o or APIKEYS_OUTPUT lead to.
func TestNewCmdVersion(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(broken, []byte("default: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	testNewCmd(t, versionUnderTest, []flagRow[versionOptions]{
		{name: "defaults", argv: []string{"version"}, format: "table"},
		{name: "on a terminal", argv: []string{"version"}, tty: true, format: "table"},
		{name: "output json", argv: []string{"version", "-o", "json"}, format: "json"},
		{name: "output from the environment", argv: []string{"version"}, env: map[string]string{"APIKEYS_OUTPUT": "yaml"}, format: "yaml"},
		{name: "the flag beats the environment", argv: []string{"version", "-o", "table"}, env: map[string]string{"APIKEYS_OUTPUT": "json"}, format: "table"},
		// version reads no configuration: a broken file does not hide the version.
		{name: "a broken config file", argv: []string{"version", "--config", broken, "-o", "json"}, format: "json"},
		// An object is no CSV line: refused by the printer, in the run.
		{name: "output csv reaches the run", argv: []string{"version", "-o", "csv"}, format: "csv"},
		// A script-wide APIKEYS_OUTPUT of records is not asked of version: it prints its text.
		{name: "csv from the environment is text", argv: []string{"version"}, env: map[string]string{"APIKEYS_OUTPUT": "csv"}, format: "table"},
		{name: "tsv from the environment is text", argv: []string{"version"}, env: map[string]string{"APIKEYS_OUTPUT": "tsv"}, format: "table"},
		{name: "an unknown output from the environment reaches the run", argv: []string{"version"}, env: map[string]string{"APIKEYS_OUTPUT": "bogus"},
			format: `error: unknown output format "bogus" (valid: table, json, yaml, csv, tsv)`},

		{name: "an argument", argv: []string{"version", "1.2"}, err: strayArgMsg("1.2", "apikeys version"), kind: errkind.Usage, code: exitUsage},
		{name: "empty output", argv: []string{"version", "-o", ""}, err: emptyFlagMsg("output"), kind: errkind.Usage, code: exitUsage},
		{name: "short is not a flag", argv: []string{"version", "--short"}, err: "unknown flag: --short", kind: errkind.Usage, code: exitUsage},
	})
}

// runVersion prints the version in the -o format: a line of text, or a record.
func TestRunVersion(t *testing.T) {
	for _, tc := range []struct {
		format output.Format
		stdout string
		err    string
	}{
		{format: output.Table, stdout: "apikeys 1.2.3\n"},
		{format: output.JSON, stdout: "{\n  \"version\": \"1.2.3\"\n}\n"},
		{format: output.YAML, stdout: "version: 1.2.3\n"},
		{format: output.CSV, err: "version prints table, json or yaml, not csv"},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			streams, _, out, errOut := iostreams.Test()
			err := runVersion(context.Background(), &versionOptions{IO: streams, Version: "1.2.3", Format: fixedFormat(tc.format)})
			if fmt.Sprint(err) != fmt.Sprint(errorOrNil(tc.err)) || out.String() != tc.stdout || errOut.Len() != 0 {
				t.Errorf("error %v, stdout %q, stderr %q\nwant error %q, stdout %q", err, out.String(), errOut.String(), tc.err, tc.stdout)
			}
		})
	}
}

var clearClipboardUnderTest = cmdUnderTest[clearClipboardOptions]{
	build: newClearClipboardCmd,
	flagFields: func(o clearClipboardOptions) clearClipboardOptions {
		o.Clipboard, o.Getenv = nil, nil
		return o
	},
}

// The hidden clearer takes --after in Go's grammar, which clipboard.ScheduleClear writes
// (time.Duration.String), and needs no configuration.
func TestNewCmdClearClipboard(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(broken, []byte("default: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := clipboard.ClearCommand
	testNewCmd(t, clearClipboardUnderTest, []flagRow[clearClipboardOptions]{
		{name: "defaults", argv: []string{cmd}, want: clearClipboardOptions{After: 45 * time.Second}},
		{name: "after", argv: []string{cmd, "--after", "10s"}, want: clearClipboardOptions{After: 10 * time.Second}},
		{name: "after as ScheduleClear writes it", argv: []string{cmd, "--after", (90 * time.Second).String()}, want: clearClipboardOptions{After: 90 * time.Second}},
		{name: "the fingerprint is read in the run", argv: []string{cmd}, env: map[string]string{clipboard.FingerprintEnv: "abc"}, want: clearClipboardOptions{After: 45 * time.Second}},
		{name: "a broken config file is not read", argv: []string{cmd, "--config", broken}, want: clearClipboardOptions{After: 45 * time.Second}},

		{name: "after not a duration", argv: []string{cmd, "--after", "soon"}, err: `invalid --after "soon": use a Go duration such as 45s or 1m30s`, kind: errkind.Usage, code: exitUsage},
		{name: "after empty", argv: []string{cmd, "--after="}, err: emptyFlagMsg("after"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{cmd, "secret"}, err: strayArgMsg("secret", "apikeys "+cmd), kind: errkind.Usage, code: exitUsage},
	})
}
