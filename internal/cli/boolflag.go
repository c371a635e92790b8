package cli

import (
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/config/envbool"
)

// wordBool is a boolean flag that reads the words boolean variables accept, so --sandbox=yes
// means what APIKEYS_SANDBOX=yes means instead of failing with strconv's message. It keeps
// the flag's own value (Type "bool", String "true"/"false"), which viper and help read.
type wordBool struct{ pflag.Value }

func (b wordBool) Set(s string) error {
	v, set, ok := envbool.Parse(s)
	if !ok || !set {
		return strconv.ErrSyntax // reworded with the flag's name by flagValueError
	}
	return b.Value.Set(strconv.FormatBool(v))
}

func (b wordBool) IsBoolFlag() bool { return true }

// acceptBoolWords makes every boolean flag of cmd and its subcommands a wordBool.
func acceptBoolWords(cmd *cobra.Command) {
	wrap := func(fl *pflag.Flag) {
		if _, done := fl.Value.(wordBool); !done && fl.Value.Type() == "bool" {
			fl.Value = wordBool{fl.Value}
		}
	}
	cmd.Flags().VisitAll(wrap)
	cmd.PersistentFlags().VisitAll(wrap)
	for _, sub := range cmd.Commands() {
		acceptBoolWords(sub)
	}
}
