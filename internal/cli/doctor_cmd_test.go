package cli

import (
	"testing"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

var doctorUnderTest = cmdUnderTest[doctorOptions]{
	build: newDoctorCmd,
	flagFields: func(o doctorOptions) doctorOptions {
		o.IO, o.Version, o.Format, o.Settings, o.Open, o.Store, o.Prompter, o.Now, o.WriteReport, o.Printer = nil, "", nil, nil, nil, nil, nil, nil, nil, nil
		o.Script.context = nil // the command's context, injected
		return o
	},
	format: func(o *doctorOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdDoctor(t *testing.T) {
	testNewCmd(t, doctorUnderTest, []flagRow[doctorOptions]{
		{name: "defaults", argv: []string{"doctor"}, want: doctorOptions{}, format: "table"},
		{name: "on a terminal", argv: []string{"doctor"}, tty: true, want: doctorOptions{}},
		{name: "write", argv: []string{"doctor", "--write"}, tty: true, want: doctorOptions{Write: true}},
		{name: "write yes", argv: []string{"doctor", "--write", "-y"}, want: doctorOptions{Write: true, Yes: true}},
		{name: "report", argv: []string{"doctor", "--report", "out.json"}, want: doctorOptions{Report: "out.json"}},
		{name: "output json", argv: []string{"doctor", "-o", "json"}, want: doctorOptions{}, format: "json"},

		{name: "empty report", argv: []string{"doctor", "--report", ""}, err: emptyFlagMsg("report"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"doctor", "now"}, err: strayArgMsg("now", "apikeys doctor"), kind: errkind.Usage, code: exitUsage},
		{name: "write=2", argv: []string{"doctor", "--write=2"}, err: invalidBoolMsg("write", "2"), kind: errkind.Usage, code: exitUsage},
	})
}
