package cli

import (
	"testing"
)

// helpGoldens are the help texts pinned byte for byte, in English and in French: the root's,
// a command's with examples and flags, one of many flags and one of cobra's commands, a
// group's, and the two help topics.
var helpGoldens = []struct {
	golden string
	args   []string
}{
	{"help-root", []string{"--help"}},
	{"help-list", []string{"list", "--help"}},
	{"help-delete", []string{"delete", "--help"}},
	{"help-auth", []string{"auth", "--help"}},
	{"help-environment", []string{"help", "environment"}},
	{"help-exit-codes", []string{"help", "exit-codes"}},
	{"help-completion-bash", []string{"completion", "bash", "--help"}},
	{"help-help", []string{"help", "help"}},
}

func TestGoldenHelp(t *testing.T) {
	e := newGoldenEnv(t)
	for _, tc := range helpGoldens {
		checkGolden(t, tc.golden+".txt", e.text(e.run(piped, nil, "", tc.args...)))
	}
}
