package cli

import (
	"context"
	"testing"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

var showUnderTest = cmdUnderTest[showOptions]{
	build: func(f *Factory, runF func(context.Context, *showOptions) error) *cobra.Command {
		return newShowCmd(f, runF)
	},
	flagFields: func(o showOptions) showOptions {
		o.IO, o.Keys, o.Copy, o.Now, o.Format = nil, nil, nil, nil, nil
		return o
	},
	format: func(o *showOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdShow(t *testing.T) {
	const id = "5f0c7a9e-2b1d-4c3e-9f8a-0123456789e1"
	testNewCmd(t, showUnderTest, []flagRow[showOptions]{
		{name: "an ID", argv: []string{"show", id}, want: showOptions{Ref: id}, format: "table"},
		{name: "alias get", argv: []string{"get", id}, want: showOptions{Ref: id}},
		{name: "a title with spaces, quoted", argv: []string{"show", "CI deploy"}, want: showOptions{Ref: "CI deploy"}},
		{name: "on a terminal", argv: []string{"show", "CI deploy"}, tty: true, want: showOptions{Ref: "CI deploy"}},
		{name: "copy-email", argv: []string{"show", "CI deploy", "--copy-email"}, want: showOptions{Ref: "CI deploy", CopyEmail: true}},
		{name: "copy-email=on", argv: []string{"show", "--copy-email=on", "CI deploy"}, want: showOptions{Ref: "CI deploy", CopyEmail: true}},
		{name: "copy-email=0", argv: []string{"show", "CI deploy", "--copy-email=0"}, want: showOptions{Ref: "CI deploy"}},
		{name: "output yaml", argv: []string{"show", id, "-o", "yaml"}, want: showOptions{Ref: id}, format: "yaml"},
		// Unlike create's empty TITLE, an empty KEY is not refused at flag time: the run
		// looks it up (as a title) and reports it not found.
		{name: "empty KEY reaches the run", argv: []string{"show", ""}, want: showOptions{Ref: ""}},
		{name: "a KEY starting with a dash, after --", argv: []string{"show", "--", "-old"}, want: showOptions{Ref: "-old"}},

		{name: "no KEY", argv: []string{"show"}, err: "missing KEY: an API key ID or exact title", kind: errkind.Usage, code: exitUsage},
		{name: "no KEY on a terminal", argv: []string{"show"}, tty: true, err: "missing KEY: an API key ID or exact title", kind: errkind.Usage, code: exitUsage},
		{name: "a title with spaces, unquoted", argv: []string{"show", "CI", "deploy"},
			err: "show takes one KEY (an API key ID or exact title), not 2 arguments: quote a title that has spaces", kind: errkind.Usage, code: exitUsage},
		{name: "copy-email=please", argv: []string{"show", "x", "--copy-email=please"}, err: invalidBoolMsg("copy-email", "please"), kind: errkind.Usage, code: exitUsage},
		{name: "a copy flag show does not have", argv: []string{"show", "x", "--copy"}, err: "unknown flag: --copy", kind: errkind.Usage, code: exitUsage},
	})
}
