package cli

import (
	"context"
	"testing"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

var membersUnderTest = cmdUnderTest[membersOptions]{
	build: func(f *Factory, runF func(context.Context, *membersOptions) error) *cobra.Command {
		return newMembersCmd(f, runF)
	},
	flagFields: func(o membersOptions) membersOptions {
		o.IO, o.API, o.Format = nil, nil, nil
		return o
	},
	format: func(o *membersOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdMembers(t *testing.T) {
	testNewCmd(t, membersUnderTest, []flagRow[membersOptions]{
		{name: "defaults", argv: []string{"members"}, want: membersOptions{}, format: "table"},
		{name: "on a terminal", argv: []string{"members"}, tty: true, want: membersOptions{}},
		{name: "role", argv: []string{"members", "--role", "editor"}, want: membersOptions{Role: "editor"}},
		// The role is read in the run (memberRoleFilter), so any word reaches it.
		{name: "an unknown role reaches the run", argv: []string{"members", "--role", "owner"}, want: membersOptions{Role: "owner"}},
		{name: "no-headers", argv: []string{"members", "--no-headers"}, want: membersOptions{NoHeaders: true}},
		{name: "no-headers=TRUE", argv: []string{"members", "--no-headers=TRUE"}, want: membersOptions{NoHeaders: true}},
		{name: "output tsv", argv: []string{"members", "-o", "tsv"}, want: membersOptions{}, format: "tsv"},

		{name: "empty role", argv: []string{"members", "--role", ""}, err: emptyFlagMsg("role"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"members", "editor"}, err: strayArgMsg("editor", "apikeys members"), kind: errkind.Usage, code: exitUsage},
		{name: "no-headers=2", argv: []string{"members", "--no-headers=2"}, err: invalidBoolMsg("no-headers", "2"), kind: errkind.Usage, code: exitUsage},
		{name: "empty output", argv: []string{"members", "-o", ""}, err: emptyFlagMsg("output"), kind: errkind.Usage, code: exitUsage},
	})
}
