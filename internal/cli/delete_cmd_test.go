package cli

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

var deleteUnderTest = cmdUnderTest[deleteOptions]{
	build: newDeleteCmd,
	flagFields: func(o deleteOptions) deleteOptions {
		o.IO, o.API, o.Prompter, o.Now, o.Format, o.Printer = nil, nil, nil, nil, nil, nil
		o.Script.context = nil // the command's context, injected
		return o
	},
	format: func(o *deleteOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdDelete(t *testing.T) {
	const noTerminalMsg = "deleting API keys is irreversible and there is no terminal to confirm on: pass --yes (and --transfer-to MEMBER or --no-transfer for keys that own resources), or --dry-run to see the plan"
	const nameThem = "name the keys to delete (ID or title), select them with --filter, or pass --all for every key"
	const allAndKeys = "--all and KEY arguments contradict each other: give the keys, or --all for every key"
	const emptyKey = "an empty KEY: give an API key ID or exact title"
	testNewCmd(t, deleteUnderTest, []flagRow[deleteOptions]{
		{name: "one key", tty: true, argv: []string{"delete", "old CI key"}, want: deleteOptions{Refs: []string{"old CI key"}}, format: "table"},
		{name: "alias rm", tty: true, argv: []string{"rm", "k1"}, want: deleteOptions{Refs: []string{"k1"}}},
		{name: "several keys", tty: true, argv: []string{"delete", "k1", "k2", "k3"}, want: deleteOptions{Refs: []string{"k1", "k2", "k3"}}},
		{name: "filter", tty: true, argv: []string{"delete", "--filter", "status=expired"}, want: deleteOptions{Refs: []string{}, Filters: []string{"status=expired"}}},
		{name: "filters", tty: true, argv: []string{"delete", "--filter", "status=expired", "--filter", "title~a,b"},
			want: deleteOptions{Refs: []string{}, Filters: []string{"status=expired", "title~a,b"}}},
		{name: "keys and a filter", tty: true, argv: []string{"delete", "k1", "--filter", "role=viewer"},
			want: deleteOptions{Refs: []string{"k1"}, Filters: []string{"role=viewer"}}},
		{name: "all", tty: true, argv: []string{"delete", "--all"}, want: deleteOptions{Refs: []string{}, All: true}},
		{name: "all with a filter", tty: true, argv: []string{"delete", "--all", "--filter", "status=expired"},
			want: deleteOptions{Refs: []string{}, All: true, Filters: []string{"status=expired"}}},
		// --all and KEY are refused together, a --filter given or not: KEYs never need --all.
		{name: "all, keys and a filter", tty: true, argv: []string{"delete", "--all", "k1", "--filter", "status=expired"},
			err: allAndKeys, kind: errkind.Usage, code: exitUsage},
		{name: "all, keys and a filter, dry run", argv: []string{"delete", "k1", "--filter", "status=expired", "--dry-run", "--all"},
			err: allAndKeys, kind: errkind.Usage, code: exitUsage},
		{name: "all=false with keys", tty: true, argv: []string{"delete", "--all=false", "k1"}, want: deleteOptions{Refs: []string{"k1"}}},
		{name: "transfer-to", tty: true, argv: []string{"delete", "k1", "--transfer-to", "erin@acme.example"},
			want: deleteOptions{Refs: []string{"k1"}, TransferTo: "erin@acme.example"}},
		{name: "no-transfer", tty: true, argv: []string{"delete", "k1", "--no-transfer"}, want: deleteOptions{Refs: []string{"k1"}, NoTransfer: true}},
		{name: "no-transfer=false does not contradict transfer-to", tty: true, argv: []string{"delete", "k1", "--no-transfer=false", "--transfer-to", "m1"},
			want: deleteOptions{Refs: []string{"k1"}, TransferTo: "m1"}},
		{name: "yes", argv: []string{"delete", "k1", "--yes"}, want: deleteOptions{Refs: []string{"k1"}, Yes: true}},
		{name: "y", argv: []string{"delete", "k1", "-y"}, want: deleteOptions{Refs: []string{"k1"}, Yes: true}},
		{name: "yes=yes", argv: []string{"delete", "k1", "--yes=yes"}, want: deleteOptions{Refs: []string{"k1"}, Yes: true}},
		{name: "yes=n", tty: true, argv: []string{"delete", "k1", "--yes=n"}, want: deleteOptions{Refs: []string{"k1"}}},
		{name: "dry-run", argv: []string{"delete", "--all", "--dry-run"}, want: deleteOptions{Refs: []string{}, All: true, DryRun: true}},
		{name: "everything", argv: []string{"delete", "--filter", "expires<-90d", "--transfer-to", "erin@acme.example", "-y", "--dry-run", "-o", "json"},
			want: deleteOptions{Refs: []string{}, Filters: []string{"expires<-90d"}, TransferTo: "erin@acme.example", Yes: true, DryRun: true}, format: "json"},
		// Without a terminal, a delete that is neither --yes nor --dry-run is refused in RunE,
		// before any session or request: the rows above that reach the run have a terminal.
		{name: "no terminal, no yes", argv: []string{"delete", "k1"}, err: noTerminalMsg, kind: errkind.Usage, code: exitUsage},
		{name: "no terminal, dry run", argv: []string{"delete", "k1", "--dry-run"}, want: deleteOptions{Refs: []string{"k1"}, DryRun: true}},
		{name: "a terminal, no yes", argv: []string{"delete", "k1"}, tty: true, want: deleteOptions{Refs: []string{"k1"}}},
		// An empty --filter is refused at flag time, as every empty flag value is; a KEY
		// argument is not a flag, and an empty or blank one names no key: refused in RunE,
		// before any session or request.
		{name: "empty filter", argv: []string{"delete", "--filter", ""}, err: emptyFlagMsg("filter"), kind: errkind.Usage, code: exitUsage},
		{name: "empty KEY", tty: true, argv: []string{"delete", ""}, err: emptyKey, kind: errkind.Usage, code: exitUsage},
		{name: "empty KEY after a key", tty: true, argv: []string{"delete", "k1", "", "--dry-run"}, err: emptyKey, kind: errkind.Usage, code: exitUsage},
		{name: "empty KEY with a filter", argv: []string{"delete", "--filter", "status=expired", "", "--yes"}, err: emptyKey, kind: errkind.Usage, code: exitUsage},
		{name: "blank KEY", tty: true, argv: []string{"delete", " "}, err: emptyKey, kind: errkind.Usage, code: exitUsage},

		{name: "nothing named", argv: []string{"delete"}, err: nameThem, kind: errkind.Usage, code: exitUsage},
		{name: "nothing named, with yes", argv: []string{"delete", "--yes", "--no-transfer"}, err: nameThem, kind: errkind.Usage, code: exitUsage},
		{name: "nothing named, all=no", argv: []string{"delete", "--all=no"}, err: nameThem, kind: errkind.Usage, code: exitUsage},
		{name: "all and keys", argv: []string{"delete", "--all", "k1"}, err: allAndKeys, kind: errkind.Usage, code: exitUsage},
		{name: "transfer-to and no-transfer", argv: []string{"delete", "k1", "--transfer-to", "m1", "--no-transfer"},
			err: "--transfer-to and --no-transfer contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		// The flags' own checks come before the command's argument rules.
		{name: "contradiction before nothing named", argv: []string{"delete", "--transfer-to", "m1", "--no-transfer"},
			err: "--transfer-to and --no-transfer contradict each other: give one", kind: errkind.Usage, code: exitUsage},
		{name: "empty transfer-to", argv: []string{"delete", "k1", "--transfer-to", ""}, err: emptyFlagMsg("transfer-to"), kind: errkind.Usage, code: exitUsage},
		{name: "blank transfer-to", argv: []string{"delete", "k1", "--transfer-to= "}, err: emptyFlagMsg("transfer-to"), kind: errkind.Usage, code: exitUsage},
		{name: "yes=maybe", argv: []string{"delete", "k1", "--yes=maybe"}, err: invalidBoolMsg("yes", "maybe"), kind: errkind.Usage, code: exitUsage},
		{name: "y with a value", argv: []string{"delete", "k1", "-y=x"}, err: invalidBoolMsg("yes", "x"), kind: errkind.Usage, code: exitUsage},
		{name: "force is not a flag", argv: []string{"delete", "k1", "--force"}, err: "unknown flag: --force", kind: errkind.Usage, code: exitUsage},
	})
}
