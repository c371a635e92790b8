package cli

import (
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/output"
)

// The sandbox subcommands' refusals through run, the tree as shipped: each row is refused
// before the data file is opened or a port listened on, with exactly this stderr (the
// TestNewCmdSandbox matrices below show no run function is reached).
func TestSandboxFlagsRefusedBeforeAnyRun(t *testing.T) {
	usage := func(path string) string { return "Run '" + path + " --help' for usage.\n" }
	loopback := func(addr string) string {
		return "--addr \"" + addr + "\" must be a loopback address such as 127.0.0.1:8080: the sandbox is not meant to be reachable from other machines"
	}
	runTypoCases(t, []typoCase{
		{name: "fault-rate above 1", args: []string{"sandbox", "serve", "--fault-rate", "1.5"}, code: 2, stderr: "Error: " + "--fault-rate 1.5 is out of range: use a number from 0 to 1" + "\n" + usage("apikeys sandbox serve")},
		{name: "fault-rate below 0", args: []string{"sandbox", "serve", "--fault-rate=-0.1"}, code: 2, stderr: "Error: " + "--fault-rate -0.1 is out of range: use a number from 0 to 1" + "\n" + usage("apikeys sandbox serve")},
		// Numbers say what was wrong and what is valid, as booleans and durations do.
		{name: "fault-rate not a number", args: []string{"sandbox", "serve", "--fault-rate", "high"}, code: 2, stderr: "Error: " + msgFaultRateNotANumber("high") + "\n" + usage("apikeys sandbox serve")},
		{name: "unknown fault", args: []string{"sandbox", "serve", "--faults", "503,404"}, code: 2, stderr: "Error: " + msgUnknownFault("503,404", "404") + "\n" + usage("apikeys sandbox serve")},
		{name: "empty faults", args: []string{"sandbox", "serve", "--faults", ""}, code: 2, stderr: "Error: " + emptyFlagMsg("faults") + "\n" + usage("apikeys sandbox serve")},
		{name: "addr on every interface", args: []string{"sandbox", "serve", "--addr", "0.0.0.0:8080"}, code: 2, stderr: "Error: " + loopback("0.0.0.0:8080") + "\n" + usage("apikeys sandbox serve")},
		// A loopback host without a port is told the port is missing.
		{name: "addr without a port", args: []string{"sandbox", "serve", "--addr", "127.0.0.1"}, code: 2, stderr: "Error: " + msgNoPort("127.0.0.1", "127.0.0.1:8080") + "\n" + usage("apikeys sandbox serve")},
		{name: "addr a host name", args: []string{"sandbox", "serve", "--addr", "example.com:80"}, code: 2, stderr: "Error: " + loopback("example.com:80") + "\n" + usage("apikeys sandbox serve")},
		{name: "seed not a number", args: []string{"sandbox", "serve", "--seed", "x"}, code: 2, stderr: "Error: " + msgSeedNotANumber("x", "not a whole number") + "\n" + usage("apikeys sandbox serve")},
		{name: "token-ttl in m", args: []string{"sandbox", "serve", "--token-ttl", "5m"}, code: 2, stderr: "Error: " + `invalid --token-ttl "5m": m could mean minutes or months: write min for minutes, or days such as 30d` + "\n" + usage("apikeys sandbox serve")},
		{name: "slow-delay empty", args: []string{"sandbox", "serve", "--slow-delay="}, code: 2, stderr: "Error: " + emptyFlagMsg("slow-delay") + "\n" + usage("apikeys sandbox serve")},
		{name: "serve an argument", args: []string{"sandbox", "serve", "8080"}, code: 2, stderr: "Error: " + strayArgMsg("8080", "apikeys sandbox serve") + "\n" + usage("apikeys sandbox serve")},
		{name: "reset keys not a number", args: []string{"sandbox", "reset", "--keys", "many"}, code: 2, stderr: "Error: " + msgKeysNotANumber("many", "not a whole number") + "\n" + usage("apikeys sandbox reset")},
		{name: "reset an argument", args: []string{"sandbox", "reset", "10"}, code: 2, stderr: "Error: " + strayArgMsg("10", "apikeys sandbox reset") + "\n" + usage("apikeys sandbox reset")},
		{name: "resources an argument", args: []string{"sandbox", "resources", "k1"}, code: 2, stderr: "Error: " + strayArgMsg("k1", "apikeys sandbox resources") + "\n" + usage("apikeys sandbox resources")},
		{name: "data empty, on the parent", args: []string{"sandbox", "--data", "", "info"}, code: 2, stderr: "Error: " + emptyFlagMsg("data") + "\n" + usage("apikeys sandbox info")},
		{name: "info -o bogus", args: []string{"sandbox", "info", "-o", "bogus"}, code: 2, stderr: "Error: " + `unknown output format "bogus" (valid: table, json, yaml, csv, tsv)` + "\n" + usage("apikeys sandbox info")},
	})
}

// Messages of the sandbox's flags.
func msgFaultRateNotANumber(v string) string {
	return `invalid --fault-rate "` + v + `": not a number: give a number from 0 to 1, such as 0.3`
}

func msgFaultRateRange(v string) string {
	return "--fault-rate " + v + " is out of range: use a number from 0 to 1"
}

func msgUnknownFault(list, kind string) string {
	return `invalid --faults "` + list + `": unknown fault kind "` + kind + `" (valid kinds: 500, 503, 429, reset, slow, truncate, garbage)`
}

func msgNotLoopback(addr string) string {
	return `--addr "` + addr + `" must be a loopback address such as 127.0.0.1:8080: the sandbox is not meant to be reachable from other machines`
}

func msgNoPort(addr, example string) string {
	return `--addr "` + addr + `" has no port: give one, such as ` + example + ` (port 0: any free port)`
}

func msgSeedNotANumber(v, reason string) string {
	return `invalid --seed "` + v + `": ` + reason + `: give a whole number (64 bits), such as 7`
}

func msgKeysNotANumber(v, reason string) string {
	return `invalid --keys "` + v + `": ` + reason + `: give a number of keys from 0 to 1000000`
}

func msgKeysRange(n string) string {
	return "--keys " + n + ": give a number of keys from 0 to 1000000 (more could not be listed: a key list stops past 1000000 keys)"
}

var sandboxServeUnderTest = cmdUnderTest[sandboxServeOptions]{
	parent: []string{"sandbox"},
	build:  newSandboxServeCmd,
	flagFields: func(o sandboxServeOptions) sandboxServeOptions {
		o.sandboxDeps, o.Listen = sandboxDeps{}, nil
		return o
	},
}

func TestNewCmdSandboxServe(t *testing.T) {
	def := sandboxServeOptions{Addr: "127.0.0.1:0", Seed: 1}
	with := func(change func(*sandboxServeOptions)) sandboxServeOptions {
		o := def
		change(&o)
		return o
	}
	testNewCmd(t, sandboxServeUnderTest, []flagRow[sandboxServeOptions]{
		{name: "defaults", argv: []string{"serve"}, want: def},
		{name: "on a terminal", argv: []string{"serve"}, tty: true, want: def},
		{name: "every flag", argv: []string{"serve", "--addr", "127.0.0.1:8080", "--fault-rate", "0.3", "--faults", "503,429,RESET,503", "--seed", "7", "--token-ttl", "2min", "--slow-delay", "1500ms"},
			want: sandboxServeOptions{Addr: "127.0.0.1:8080", FaultRate: 0.3, Faults: "503,429,RESET,503", faultKinds: []string{"503", "429", "reset"}, Seed: 7, TokenTTL: 2 * time.Minute, SlowDelay: 1500 * time.Millisecond}},
		{name: "data", argv: []string{"serve", "--data", "/srv/sb.db"}, want: with(func(o *sandboxServeOptions) { o.Data = "/srv/sb.db" })},
		// The environment's data file is resolved in the run, with the settings.
		{name: "data from the environment", argv: []string{"serve"}, env: map[string]string{"APIKEYS_SANDBOX_DATA": "/srv/env.db"}, want: def},
		{name: "fault-rate 1", argv: []string{"serve", "--fault-rate", "1"}, want: with(func(o *sandboxServeOptions) { o.FaultRate = 1 })},
		{name: "faults of only commas is every kind", argv: []string{"serve", "--faults", " , "}, want: with(func(o *sandboxServeOptions) { o.Faults = " , " })},
		{name: "negative seed", argv: []string{"serve", "--seed=-3"}, want: with(func(o *sandboxServeOptions) { o.Seed = -3 })},
		{name: "addr localhost", argv: []string{"serve", "--addr", "localhost:8080"}, want: with(func(o *sandboxServeOptions) { o.Addr = "localhost:8080" })},
		{name: "addr IPv6 loopback", argv: []string{"serve", "--addr", "[::1]:0"}, want: with(func(o *sandboxServeOptions) { o.Addr = "[::1]:0" })},

		{name: "fault-rate above 1", argv: []string{"serve", "--fault-rate", "1.5"}, err: msgFaultRateRange("1.5"), kind: errkind.Usage, code: exitUsage},
		{name: "fault-rate below 0", argv: []string{"serve", "--fault-rate=-0.1"}, err: msgFaultRateRange("-0.1"), kind: errkind.Usage, code: exitUsage},
		// strconv reads NaN as a number, which no range check with < and > refuses.
		{name: "fault-rate NaN", argv: []string{"serve", "--fault-rate", "NaN"}, err: msgFaultRateRange("NaN"), kind: errkind.Usage, code: exitUsage},
		{name: "fault-rate a word", argv: []string{"serve", "--fault-rate", "high"}, err: msgFaultRateNotANumber("high"), kind: errkind.Usage, code: exitUsage},
		{name: "fault-rate a percentage", argv: []string{"serve", "--fault-rate", "30%"}, err: msgFaultRateNotANumber("30%"), kind: errkind.Usage, code: exitUsage},
		{name: "fault-rate beyond float64", argv: []string{"serve", "--fault-rate", "1e400"}, err: `invalid --fault-rate "1e400": out of range: give a number from 0 to 1, such as 0.3`, kind: errkind.Usage, code: exitUsage},
		{name: "unknown fault", argv: []string{"serve", "--faults", "503,404"}, err: msgUnknownFault("503,404", "404"), kind: errkind.Usage, code: exitUsage},
		{name: "empty faults", argv: []string{"serve", "--faults", ""}, err: emptyFlagMsg("faults"), kind: errkind.Usage, code: exitUsage},
		{name: "addr without a port", argv: []string{"serve", "--addr", "127.0.0.1"}, err: msgNoPort("127.0.0.1", "127.0.0.1:8080"), kind: errkind.Usage, code: exitUsage},
		{name: "addr localhost without a port", argv: []string{"serve", "--addr", "localhost"}, err: msgNoPort("localhost", "localhost:8080"), kind: errkind.Usage, code: exitUsage},
		{name: "addr IPv6 loopback without a port", argv: []string{"serve", "--addr", "[::1]"}, err: msgNoPort("[::1]", "[::1]:8080"), kind: errkind.Usage, code: exitUsage},
		{name: "addr every interface without a port", argv: []string{"serve", "--addr", "0.0.0.0"}, err: msgNotLoopback("0.0.0.0"), kind: errkind.Usage, code: exitUsage},
		{name: "addr every interface", argv: []string{"serve", "--addr", "0.0.0.0:8080"}, err: msgNotLoopback("0.0.0.0:8080"), kind: errkind.Usage, code: exitUsage},
		{name: "addr a port alone", argv: []string{"serve", "--addr", ":8080"}, err: msgNotLoopback(":8080"), kind: errkind.Usage, code: exitUsage},
		{name: "addr a host name", argv: []string{"serve", "--addr", "example.com:80"}, err: msgNotLoopback("example.com:80"), kind: errkind.Usage, code: exitUsage},
		{name: "seed a word", argv: []string{"serve", "--seed", "x"}, err: msgSeedNotANumber("x", "not a whole number"), kind: errkind.Usage, code: exitUsage},
		{name: "seed a fraction", argv: []string{"serve", "--seed", "1.5"}, err: msgSeedNotANumber("1.5", "not a whole number"), kind: errkind.Usage, code: exitUsage},
		{name: "seed beyond int64", argv: []string{"serve", "--seed", "99999999999999999999"}, err: msgSeedNotANumber("99999999999999999999", "out of range"), kind: errkind.Usage, code: exitUsage},
		{name: "token-ttl in m", argv: []string{"serve", "--token-ttl", "5m"}, err: `invalid --token-ttl "5m": m could mean minutes or months: write min for minutes, or days such as 30d`, kind: errkind.Usage, code: exitUsage},
		{name: "slow-delay empty", argv: []string{"serve", "--slow-delay="}, err: emptyFlagMsg("slow-delay"), kind: errkind.Usage, code: exitUsage},
		{name: "empty data", argv: []string{"serve", "--data="}, err: emptyFlagMsg("data"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"serve", "8080"}, err: strayArgMsg("8080", "apikeys sandbox serve"), kind: errkind.Usage, code: exitUsage},
	})
}

var sandboxResetUnderTest = cmdUnderTest[sandboxResetOptions]{
	parent: []string{"sandbox"},
	build:  newSandboxResetCmd,
	flagFields: func(o sandboxResetOptions) sandboxResetOptions {
		o.sandboxDeps = sandboxDeps{}
		return o
	},
}

func TestNewCmdSandboxReset(t *testing.T) {
	testNewCmd(t, sandboxResetUnderTest, []flagRow[sandboxResetOptions]{
		{name: "defaults", argv: []string{"reset"}, want: sandboxResetOptions{}},
		{name: "on a terminal", argv: []string{"reset"}, tty: true, want: sandboxResetOptions{}},
		{name: "keys", argv: []string{"reset", "--keys", "10000"}, want: sandboxResetOptions{Keys: 10000}},
		{name: "keys at the most", argv: []string{"reset", "--keys", "1000000"}, want: sandboxResetOptions{Keys: 1000000}},
		{name: "data", argv: []string{"reset", "--data", "/srv/sb.db", "--keys=0"}, want: sandboxResetOptions{Data: "/srv/sb.db"}},

		{name: "keys negative", argv: []string{"reset", "--keys=-1"}, err: msgKeysRange("-1"), kind: errkind.Usage, code: exitUsage},
		{name: "keys past the most", argv: []string{"reset", "--keys", "1000001"}, err: msgKeysRange("1000001"), kind: errkind.Usage, code: exitUsage},
		{name: "keys a word", argv: []string{"reset", "--keys", "many"}, err: msgKeysNotANumber("many", "not a whole number"), kind: errkind.Usage, code: exitUsage},
		{name: "keys a fraction", argv: []string{"reset", "--keys", "1.5"}, err: msgKeysNotANumber("1.5", "not a whole number"), kind: errkind.Usage, code: exitUsage},
		{name: "keys with a unit", argv: []string{"reset", "--keys", "10k"}, err: msgKeysNotANumber("10k", "not a whole number"), kind: errkind.Usage, code: exitUsage},
		{name: "keys beyond int", argv: []string{"reset", "--keys", "99999999999999999999"}, err: msgKeysNotANumber("99999999999999999999", "out of range"), kind: errkind.Usage, code: exitUsage},
		{name: "empty keys", argv: []string{"reset", "--keys="}, err: emptyFlagMsg("keys"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"reset", "10"}, err: strayArgMsg("10", "apikeys sandbox reset"), kind: errkind.Usage, code: exitUsage},
	})
}

var sandboxInfoUnderTest = cmdUnderTest[sandboxInfoOptions]{
	parent: []string{"sandbox"},
	build:  newSandboxInfoCmd,
	flagFields: func(o sandboxInfoOptions) sandboxInfoOptions {
		o.sandboxDeps = sandboxDeps{}
		o.Script.context = nil // the command's context, injected
		return o
	},
	format: func(o *sandboxInfoOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdSandboxInfo(t *testing.T) {
	testNewCmd(t, sandboxInfoUnderTest, []flagRow[sandboxInfoOptions]{
		{name: "defaults", argv: []string{"info"}, want: sandboxInfoOptions{}, format: "table"},
		{name: "on a terminal", argv: []string{"info"}, tty: true, want: sandboxInfoOptions{}, format: "table"},
		{name: "data", argv: []string{"info", "--data", "/srv/sb.db"}, want: sandboxInfoOptions{Data: "/srv/sb.db"}},
		{name: "output yaml", argv: []string{"info", "-o", "yaml"}, want: sandboxInfoOptions{}, format: "yaml"},
		{name: "output from the environment", argv: []string{"info"}, env: map[string]string{"APIKEYS_OUTPUT": "json"}, want: sandboxInfoOptions{}, format: "json"},
		// An organization is no CSV line: refused by the printer, in the run.
		{name: "output csv reaches the run", argv: []string{"info", "-o", "csv"}, want: sandboxInfoOptions{}, format: "csv"},
		{name: "an unknown output", argv: []string{"info", "-o", "bogus"}, err: `unknown output format "bogus" (valid: table, json, yaml, csv, tsv)`, kind: errkind.Usage, code: exitUsage},

		{name: "empty data", argv: []string{"info", "--data", ""}, err: emptyFlagMsg("data"), kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"info", "acme"}, err: strayArgMsg("acme", "apikeys sandbox info"), kind: errkind.Usage, code: exitUsage},
	})
}

var sandboxResourcesUnderTest = cmdUnderTest[sandboxResourcesOptions]{
	parent: []string{"sandbox"},
	build:  newSandboxResourcesCmd,
	flagFields: func(o sandboxResourcesOptions) sandboxResourcesOptions {
		o.sandboxDeps = sandboxDeps{}
		o.Script.context = nil // the command's context, injected
		return o
	},
	format: func(o *sandboxResourcesOptions) func() (output.Format, error) { return o.Format },
}

func TestNewCmdSandboxResources(t *testing.T) {
	testNewCmd(t, sandboxResourcesUnderTest, []flagRow[sandboxResourcesOptions]{
		{name: "defaults", argv: []string{"resources"}, want: sandboxResourcesOptions{}, format: "table"},
		{name: "on a terminal", argv: []string{"resources"}, tty: true, want: sandboxResourcesOptions{}, format: "table"},
		{name: "data", argv: []string{"resources", "--data", "/srv/sb.db"}, want: sandboxResourcesOptions{Data: "/srv/sb.db"}},
		{name: "output csv", argv: []string{"resources", "-o", "csv"}, want: sandboxResourcesOptions{}, format: "csv"},

		{name: "empty data", argv: []string{"resources", "--data="}, err: emptyFlagMsg("data"), kind: errkind.Usage, code: exitUsage},
		{name: "no-headers is not a flag", argv: []string{"resources", "--no-headers"}, err: "unknown flag: --no-headers\n--no-headers is a flag of apikeys list and apikeys members, not of apikeys sandbox resources", kind: errkind.Usage, code: exitUsage},
		{name: "an argument", argv: []string{"resources", "k1"}, err: strayArgMsg("k1", "apikeys sandbox resources"), kind: errkind.Usage, code: exitUsage},
	})
}
