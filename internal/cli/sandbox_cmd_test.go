package cli

import "testing"

// The sandbox subcommands have no runF (newSandboxCmd builds them with their options in
// closures), so their flag matrix is pinned through run: each row is refused before the
// data file is opened or a port listened on, with exactly this stderr.
func TestSandboxFlagsRefusedBeforeAnyRun(t *testing.T) {
	usage := func(path string) string { return "Run '" + path + " --help' for usage.\n" }
	loopback := func(addr string) string {
		return "--addr \"" + addr + "\" must be a loopback address such as 127.0.0.1:8080: the sandbox is not meant to be reachable from other machines"
	}
	runTypoCases(t, []typoCase{
		{name: "fault-rate above 1", args: []string{"sandbox", "serve", "--fault-rate", "1.5"}, code: 2, stderr: "Error: " + "--fault-rate 1.5 is out of range: use a number from 0 to 1" + "\n" + usage("apikeys sandbox serve")},
		{name: "fault-rate below 0", args: []string{"sandbox", "serve", "--fault-rate=-0.1"}, code: 2, stderr: "Error: " + "--fault-rate -0.1 is out of range: use a number from 0 to 1" + "\n" + usage("apikeys sandbox serve")},
		// Numbers are refused in pflag's words (strconv's), where booleans and durations
		// are reworded by flagValueError.
		{name: "fault-rate not a number", args: []string{"sandbox", "serve", "--fault-rate", "high"}, code: 2, stderr: "Error: " + `invalid argument "high" for "--fault-rate" flag: strconv.ParseFloat: parsing "high": invalid syntax` + "\n" + usage("apikeys sandbox serve")},
		{name: "unknown fault", args: []string{"sandbox", "serve", "--faults", "503,404"}, code: 2, stderr: "Error: " + `unknown fault kind "404" (valid kinds: 500, 503, 429, reset, slow, truncate, garbage)` + "\n" + usage("apikeys sandbox serve")},
		{name: "empty faults", args: []string{"sandbox", "serve", "--faults", ""}, code: 2, stderr: "Error: " + emptyFlagMsg("faults") + "\n" + usage("apikeys sandbox serve")},
		{name: "addr on every interface", args: []string{"sandbox", "serve", "--addr", "0.0.0.0:8080"}, code: 2, stderr: "Error: " + loopback("0.0.0.0:8080") + "\n" + usage("apikeys sandbox serve")},
		// A loopback host without a port is told it is not a loopback address.
		{name: "addr without a port", args: []string{"sandbox", "serve", "--addr", "127.0.0.1"}, code: 2, stderr: "Error: " + loopback("127.0.0.1") + "\n" + usage("apikeys sandbox serve")},
		{name: "addr a host name", args: []string{"sandbox", "serve", "--addr", "example.com:80"}, code: 2, stderr: "Error: " + loopback("example.com:80") + "\n" + usage("apikeys sandbox serve")},
		{name: "seed not a number", args: []string{"sandbox", "serve", "--seed", "x"}, code: 2, stderr: "Error: " + `invalid argument "x" for "--seed" flag: strconv.ParseInt: parsing "x": invalid syntax` + "\n" + usage("apikeys sandbox serve")},
		{name: "token-ttl in m", args: []string{"sandbox", "serve", "--token-ttl", "5m"}, code: 2, stderr: "Error: " + `invalid --token-ttl "5m": m could mean minutes or months: write min for minutes, or days such as 30d` + "\n" + usage("apikeys sandbox serve")},
		{name: "slow-delay empty", args: []string{"sandbox", "serve", "--slow-delay="}, code: 2, stderr: "Error: " + emptyFlagMsg("slow-delay") + "\n" + usage("apikeys sandbox serve")},
		{name: "serve an argument", args: []string{"sandbox", "serve", "8080"}, code: 2, stderr: "Error: " + strayArgMsg("8080", "apikeys sandbox serve") + "\n" + usage("apikeys sandbox serve")},
		{name: "reset keys not a number", args: []string{"sandbox", "reset", "--keys", "many"}, code: 2, stderr: "Error: " + `invalid argument "many" for "--keys" flag: strconv.ParseInt: parsing "many": invalid syntax` + "\n" + usage("apikeys sandbox reset")},
		{name: "reset an argument", args: []string{"sandbox", "reset", "10"}, code: 2, stderr: "Error: " + strayArgMsg("10", "apikeys sandbox reset") + "\n" + usage("apikeys sandbox reset")},
		{name: "resources an argument", args: []string{"sandbox", "resources", "k1"}, code: 2, stderr: "Error: " + strayArgMsg("k1", "apikeys sandbox resources") + "\n" + usage("apikeys sandbox resources")},
		{name: "data empty, on the parent", args: []string{"sandbox", "--data", "", "info"}, code: 2, stderr: "Error: " + emptyFlagMsg("data") + "\n" + usage("apikeys sandbox info")},
		{name: "info -o bogus", args: []string{"sandbox", "info", "-o", "bogus"}, code: 2, stderr: "Error: " + `unknown output format "bogus" (valid: table, json, yaml, csv, tsv)` + "\n" + usage("apikeys sandbox info")},
	})
}
