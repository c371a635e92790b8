// Command apikeys manages a JMap Cloud organization's API keys.
package main

import (
	"os"

	"github.com/k2geospatial/apikeys/internal/cli"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	// `apikeys version` and `apikeys --version` are answered before anything is set up: they
	// cost little more than the process's start (docs/performance.md).
	if line, ok := cli.VersionLine(os.Args[1:], version, os.Getenv); ok {
		os.Stdout.WriteString(line)
		return
	}
	os.Exit(cli.Main(os.Args[1:], version))
}
