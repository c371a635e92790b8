package completion

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPackageIsPure: the package computes candidates and nothing else. It imports no cobra,
// no internal/cli, nothing that reads files or the network, and declares no package-level
// variable, so linking it costs the program's start-up nothing (every command pays that, not
// only completion). l10n puts the descriptions in the reader's language: it reads no file and
// parses its catalog the first time a French text is asked for.
func TestPackageIsPure(t *testing.T) {
	allowed := map[string]bool{
		"slices": true, "sort": true, "strings": true, "time": true, "unicode": true,
		"github.com/k2geospatial/apikeys/internal/l10n":     true,
		"github.com/k2geospatial/apikeys/internal/output":   true,
		"github.com/k2geospatial/apikeys/internal/sanitize": true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); !allowed[path] {
				t.Errorf("%s imports %s", name, path)
			}
		}
		for _, decl := range f.Decls {
			if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.VAR {
				t.Errorf("%s: package-level var at %s (built when the program starts)", name, fset.Position(gen.Pos()))
			}
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Name.Name == "init" && fn.Recv == nil {
				t.Errorf("%s: init function at %s", name, fset.Position(fn.Pos()))
			}
		}
	}
}
