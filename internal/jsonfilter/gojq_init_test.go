package jsonfilter

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The copy of gojq in internal/third_party builds its function tables on first use, not in
// an init function that every start of apikeys would run (its README.md says why and how
// to update it). An upstream update that brings an init back fails here.
func TestGojqRunsNoInit(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "third_party", "gojq", "*.go"))
	if err != nil || len(files) < 10 {
		t.Fatalf("gojq's files: %v, %d found", err, len(files))
	}
	initFunc := regexp.MustCompile(`(?m)^func init\(\)`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if initFunc.Match(src) {
			t.Errorf("%s has an init function: build its tables in loadFuncs instead", f)
		}
	}
}
