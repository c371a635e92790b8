package cli

import (
	"errors"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

// numberValue is a numeric flag that, given something else, says what it takes
// (`invalid --seed "x": not a whole number: give any whole number, such as 7`) where pflag
// would answer in strconv's words. It keeps pflag's own value (Type, String), which viper
// and help read.
type numberValue struct {
	pflag.Value
	name  string
	takes l10n.Localizable // what the flag takes, for the error: "a number from 0 to 1"
}

// numberVar defines a numeric flag with define (fs.IntVar, fs.Int64Var, fs.Float64Var) and
// makes it a numberValue.
func numberVar[T int | int64 | float64](fs *pflag.FlagSet, define func(*T, string, T, string), p *T, name string, def T, usage string, takes l10n.Localizable) {
	define(p, name, def, usage)
	fl := fs.Lookup(name)
	fl.Value = numberValue{Value: fl.Value, name: name, takes: takes}
}

// Set returns a usage error naming the flag, which flagValueError shows as it is.
func (v numberValue) Set(s string) error {
	err := v.Value.Set(s)
	if err == nil {
		return nil
	}
	reason := l10n.M("not a whole number")
	switch {
	case errors.Is(err, strconv.ErrRange):
		reason = l10n.M("out of range")
	case v.Type() == "float64":
		reason = l10n.M("not a number")
	}
	return errkind.Usagef("invalid --%s %q: %s: give %s", v.name, s, reason, v.takes)
}
