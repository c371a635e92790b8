package cli

import (
	"errors"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/config/envbool"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// durationValue is a duration flag read with the one grammar of output.ParseDuration (ms, s,
// min, h, d, w, y; "m" refused), where pflag's own would take Go's (m for minutes, no days).
// It keeps the text as given, so viper and help show it back unchanged.
type durationValue struct {
	d   *time.Duration
	raw string
}

// durationVar defines a duration flag; def is its default in the same grammar ("" for 0).
func durationVar(fs *pflag.FlagSet, d *time.Duration, name, def, usage string) {
	*d = 0
	if def != "" {
		parsed, err := output.ParseDuration(def)
		if err != nil {
			panic("default of --" + name + ": " + err.Error())
		}
		*d = parsed
	}
	fs.Var(&durationValue{d: d, raw: def}, name, usage)
}

func (v *durationValue) Set(s string) error {
	d, err := output.ParseDuration(s)
	if err != nil {
		return err
	}
	*v.d, v.raw = d, strings.TrimSpace(s)
	return nil
}

func (v *durationValue) String() string { return v.raw }
func (v *durationValue) Type() string   { return "duration" }

// flagValueError rewords pflag's `invalid argument "x" for "--flag" flag: why`: an empty
// value says so (an unset shell variable, usually), and a bad duration names the flag the
// way every duration error does, `invalid --clear-after "banana": why`.
func flagValueError(err error) error {
	var invalid *pflag.InvalidValueError
	if !errors.As(err, &invalid) {
		return err
	}
	fl := invalid.GetFlag()
	switch {
	case strings.TrimSpace(invalid.GetValue()) == "":
		return emptyFlagError(fl.Name)
	case fl.Value.Type() == "bool":
		return errkind.Usagef("invalid --%s=%q: use %s, or give --%s alone for true", fl.Name, invalid.GetValue(), l10n.M(envbool.Words), fl.Name)
	case isOurDuration(fl):
		_, err := output.ParseFlagDuration("--"+fl.Name, invalid.GetValue())
		return err
	case fl.Value.Type() == "duration": // pflag's, in Go's grammar
		return errkind.Usagef("invalid --%s %q: use a Go duration such as 45s or 1m30s", fl.Name, invalid.GetValue())
	case errkind.Is(invalid.Unwrap(), errkind.Usage):
		return invalid.Unwrap() // a value's own message, naming the flag (numberValue)
	}
	return err
}

// isOurDuration tells the project's duration flags from pflag's (the hidden clipboard
// clearer's --after, written by the CLI itself in Go's grammar), whose errors must not be
// given advice in the other grammar.
func isOurDuration(fl *pflag.Flag) bool {
	_, ok := fl.Value.(*durationValue)
	return ok
}

// emptyFlagError is a flag given an empty value.
func emptyFlagError(name string) error {
	return errkind.Usagef("--%s was given an empty value (an unset shell variable?): give a value, or leave the flag out", name)
}
