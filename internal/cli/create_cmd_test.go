package cli

import (
	"context"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

var createUnderTest = cmdUnderTest[createOptions]{
	build: func(f *Factory, runF func(context.Context, *createOptions) error) *cobra.Command {
		return newCreateCmd(f, runF)
	},
	flagFields: func(o createOptions) createOptions {
		o.IO, o.Keys, o.Prompter, o.Clipboard, o.Now, o.Format = nil, nil, nil, nil, nil, nil
		return o
	},
	format: func(o *createOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdCreate(t *testing.T) {
	const clear = 45 * time.Second // --clear-after's default
	full := createOptions{Title: "CI deploy", Role: "editor", Expires: "90d", ClearAfter: clear}
	testNewCmd(t, createUnderTest, []flagRow[createOptions]{
		{name: "defaults", argv: []string{"create"}, want: createOptions{ClearAfter: clear}, format: "table"},
		// What is missing is asked for or refused in the run, terminal or not.
		{name: "nothing given on a terminal", argv: []string{"create"}, tty: true, want: createOptions{ClearAfter: clear}},
		{name: "title argument", argv: []string{"create", "CI deploy", "--role", "editor", "--expires", "90d"}, want: full},
		{name: "title flag", argv: []string{"create", "--title", "CI deploy", "--role", "editor", "--expires", "90d"}, want: full},
		{name: "title twice, the same", argv: []string{"create", "CI deploy", "--title", "CI deploy", "--role", "editor", "--expires", "90d"}, want: full},
		{name: "flags as given, checked in the run", argv: []string{"create", "x", "--role", "ORG_VIEWER", "--expires", "2027-01-31"},
			want: createOptions{Title: "x", Role: "ORG_VIEWER", Expires: "2027-01-31", ClearAfter: clear}},
		{name: "a title argument with spaces around it", argv: []string{"create", " padded "}, want: createOptions{Title: " padded ", ClearAfter: clear}},
		{name: "secret-file", argv: []string{"create", "--secret-file", "./k.key"}, want: createOptions{SecretFile: "./k.key", ClearAfter: clear}},
		{name: "copy", argv: []string{"create", "--copy"}, want: createOptions{Copy: true, ClearAfter: clear}},
		{name: "copy=y", argv: []string{"create", "--copy=y"}, want: createOptions{Copy: true, ClearAfter: clear}},
		{name: "no-copy", argv: []string{"create", "--no-copy"}, want: createOptions{NoCopy: true, ClearAfter: clear}},
		{name: "copy=false does not contradict no-copy", argv: []string{"create", "--copy=false", "--no-copy"}, want: createOptions{NoCopy: true, ClearAfter: clear}},
		{name: "clear-after", argv: []string{"create", "--clear-after", "2min"}, want: createOptions{ClearAfter: 2 * time.Minute}},
		{name: "clear-after 0", argv: []string{"create", "--clear-after=0"}, want: createOptions{}},
		{name: "output csv reaches the run", argv: []string{"create", "-o", "csv"}, want: createOptions{ClearAfter: clear}, format: "csv"},

		{name: "copy and no-copy", argv: []string{"create", "--copy", "--no-copy"},
			err: "--copy and --no-copy contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "copy=yes and no-copy=1", argv: []string{"create", "--copy=yes", "--no-copy=1"},
			err: "--copy and --no-copy contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "title twice, different", argv: []string{"create", "a", "--title", "b"},
			err: `the title was given twice ("a" and --title "b"): give one`, kind: errkind.Usage, code: exitUsage},
		{name: "empty title argument", argv: []string{"create", ""},
			err: "an empty TITLE (an unset shell variable?): give the new key's title", kind: errkind.Usage, code: exitUsage},
		{name: "blank title argument", argv: []string{"create", "  ", "--role", "editor"},
			err: "an empty TITLE (an unset shell variable?): give the new key's title", kind: errkind.Usage, code: exitUsage},
		{name: "two arguments", argv: []string{"create", "CI", "deploy"},
			err: "create takes at most one TITLE (the new key's title), not 2 arguments: quote a title that has spaces", kind: errkind.Usage, code: exitUsage},
		{name: "empty title flag", argv: []string{"create", "--title", ""}, err: emptyFlagMsg("title"), kind: errkind.Usage, code: exitUsage},
		{name: "empty role", argv: []string{"create", "x", "--role="}, err: emptyFlagMsg("role"), kind: errkind.Usage, code: exitUsage},
		{name: "empty expires", argv: []string{"create", "x", "--expires", ""}, err: emptyFlagMsg("expires"), kind: errkind.Usage, code: exitUsage},
		{name: "empty secret-file", argv: []string{"create", "x", "--secret-file", ""}, err: emptyFlagMsg("secret-file"), kind: errkind.Usage, code: exitUsage},
		{name: "empty clear-after", argv: []string{"create", "--clear-after", ""}, err: emptyFlagMsg("clear-after"), kind: errkind.Usage, code: exitUsage},
		{name: "clear-after in m", argv: []string{"create", "--clear-after", "1m"},
			err: `invalid --clear-after "1m": m could mean minutes or months: write min for minutes, or days such as 30d`, kind: errkind.Usage, code: exitUsage},
		{name: "clear-after not a duration", argv: []string{"create", "--clear-after", "banana"},
			err: `invalid --clear-after "banana": ` + msgNotADuration, kind: errkind.Usage, code: exitUsage},
		{name: "copy=sometimes", argv: []string{"create", "--copy=sometimes"}, err: invalidBoolMsg("copy", "sometimes"), kind: errkind.Usage, code: exitUsage},
	})
}
