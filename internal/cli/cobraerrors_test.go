package cli

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// The command line's mistakes that cobra and pflag find, and the suggestions apikeys adds to
// them, in English and in French: an unknown command (with and without a suggestion), an
// unknown flag (a typo, a flag of other commands, a shorthand), a flag without its value, a
// bad boolean or number, arguments to a command that takes none.
func TestGoldenCommandLineErrors(t *testing.T) {
	e := newGoldenEnv(t)
	lines := [][]string{
		{"lst"},
		{"auth", "logut"},
		{"help", "nonsense"},
		{"list", "--colums", "title"},
		{"sandbox", "reset", "--jq", "."},
		{"list", "-x"},
		{"list", "--sort"},
		{"list", "--expired=maybe"},
		{"sandbox", "serve", "--seed", "x"},
		{"list", "--filter", ""},
		{"version", "extra"},
		{"list", "expired"},
		{"list", "--expired", "--expiring-within", "30d"},
	}
	for _, c := range []struct {
		golden string
		env    *goldenEnv
	}{{"errors-command-line.txt", e}, {"errors-command-line.fr.txt", e.inFrench()}} {
		var runs []goldenRun
		for _, args := range lines {
			runs = append(runs, c.env.run(piped, nil, "", args...))
		}
		checkGolden(t, c.golden, c.env.text(runs...))
	}
}

// cobraError keeps cobra's and pflag's English to the byte, and gives the French of each
// of their texts; errors.As still finds pflag's typed errors through it.
func TestCobraErrorsInFrench(t *testing.T) {
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.StringP("sort", "s", "", "")
	fs.Int("keys", 0, "")
	parse := func(args ...string) error { return fs.Parse(args) }
	cmd := &cobra.Command{Use: "show"}
	fr := l10n.For(l10n.French)
	for _, c := range []struct {
		err    error
		french string
	}{
		{parse("--nope"), "option inconnue\u00a0: --nope"},
		{parse("-q"), "option courte inconnue\u00a0: 'q' dans -q"},
		{parse("--sort"), "l'option attend un argument\u00a0: --sort"},
		{parse("-s"), "l'option attend un argument\u00a0: 's' dans -s"},
		{parse("--keys", "many"), "argument «\u00a0many\u00a0» invalide pour l'option «\u00a0--keys\u00a0»\u00a0: strconv.ParseInt: parsing \"many\": invalid syntax"}, // the cause is strconv's
		{parse("---x"), "syntaxe d'option incorrecte\u00a0: ---x"},
		{cobra.ExactArgs(1)(cmd, nil), "accepte 1 argument(s), en a reçu 0"},
		{cobra.MinimumNArgs(2)(cmd, []string{"a"}), "demande au moins 2 argument(s), n'en a reçu que 1"},
		{cobra.MaximumNArgs(1)(cmd, []string{"a", "b"}), "accepte au plus 1 argument(s), en a reçu 2"},
		{cobra.RangeArgs(1, 2)(cmd, nil), "accepte entre 1 et 2 arguments, en a reçu 0"},
		{errors.New(`unknown command "x" for "apikeys"`), "commande inconnue «\u00a0x\u00a0» pour «\u00a0apikeys\u00a0»"},
		{errors.New("unknown command \"lst\" for \"apikeys\"\n\nDid you mean this?\n\tlist\n\tls\n"), "commande inconnue «\u00a0lst\u00a0» pour «\u00a0apikeys\u00a0»\n\nVouliez-vous dire ceci\u00a0?\n\tlist\n\tls\n"},
		{errors.New(`required flag(s) "a", "b" not set`), "option(s) obligatoire(s) absente(s)\u00a0: \"a\", \"b\""},
	} {
		if c.err == nil {
			t.Fatalf("no error for %q", c.french)
		}
		got := cobraError(c.err)
		if got.Error() != c.err.Error() {
			t.Errorf("English %q became %q", c.err, got)
		}
		if fr := fr.Error(got); fr != c.french {
			t.Errorf("%q in French: %q, want %q", c.err, fr, c.french)
		}
	}
	err := cobraError(parse("--nope"))
	var notExist *pflag.NotExistError
	if !errors.As(err, &notExist) {
		t.Errorf("%v: pflag's NotExistError is lost", err)
	}
	// Another error is left as it is.
	other := errors.New("something else")
	if cobraError(other) != other {
		t.Errorf("an error of neither cobra nor pflag was changed")
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
