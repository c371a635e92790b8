// Command apikeys manages a JMap Cloud organization's API keys.
package main

import (
	"os"

	"github.com/k2geospatial/apikeys/internal/cli"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	os.Exit(cli.Main(os.Args[1:], version))
}
