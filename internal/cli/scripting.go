package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jsonfilter"
	"github.com/k2geospatial/apikeys/internal/output"
)

// scriptFlags are --jq and --template, which every command that prints data has: each reads
// the JSON document -o json prints, whatever -o says (a typed -o other than json is refused,
// checkFilterFormat), and they contradict each other (contradictions).
type scriptFlags struct {
	JQ, Template string
	// context is the command's (cmd.Context): Ctrl-C stops a filter that runs away.
	context func() context.Context
}

// addScriptFlags gives cmd --jq and --template, as gh names them, into s. Without gh's -q
// and -t: a long flag typed with one dash (-transfer-to) would be read as -t and its value.
func addScriptFlags(cmd *cobra.Command, s *scriptFlags) {
	s.context = cmd.Context
	fl := cmd.Flags()
	fl.StringVar(&s.JQ, "jq", "", "filter the JSON output with a jq expression (strings print without quotes)")
	fl.StringVar(&s.Template, "template", "", "format the JSON output with a Go template (helpers: timeago, timefmt, truncate, tablerow, tablerender, json, join, pluck)")
	completeFlag(cmd, "jq", noValues)
	completeFlag(cmd, "template", noValues)
}

// filter compiles --jq or --template, before the command sends anything: a typo in the
// expression is exit 2 that costs no request. None given is no filter.
func (s scriptFlags) filter() (output.DocumentFilter, error) {
	var f *jsonfilter.Filter
	var err error
	switch {
	case s.JQ != "":
		f, err = jsonfilter.JQ(s.JQ)
	case s.Template != "":
		f, err = jsonfilter.Template(s.Template, time.Now)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if s.context != nil && s.context() != nil {
		f.WithContext(s.context())
	}
	return f, nil
}

// given reports --jq or --template given.
func (s scriptFlags) given() bool { return s.JQ != "" || s.Template != "" }

// checkFilterFormat refuses --jq or --template with a typed -o other than json: the filter
// reads the JSON output, so -o yaml would be silently ignored. An APIKEYS_OUTPUT of the
// environment is only a default, which the filter overrides.
func checkFilterFormat(flags *pflag.FlagSet) error {
	o := flags.Lookup("output")
	if o == nil || !o.Changed {
		return nil
	}
	format, err := output.ParseFormat(o.Value.String())
	if err != nil || format == output.JSON {
		return nil // an unknown format is refused as such
	}
	for _, name := range []string{"jq", "template"} {
		if fl := flags.Lookup(name); fl != nil && fl.Changed {
			return errkind.Usagef("--%s and -o %s contradict each other: --%s reads the JSON output; drop -o", name, format, name)
		}
	}
	return nil
}
