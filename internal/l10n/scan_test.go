package l10n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// message is an English message found in the source: a format (or text) and, for a message
// that counts, its singular form.
type message struct {
	id, one string
	isText  bool // Printer.Text, help, usages: not a format
	where   string
}

// skippedDirs hold no human text of the product: the server emulator speaks for a server
// (whose messages are its own, in English), the test and benchmark tooling for developers,
// the generated docs stay English (issue: man pages and docs/cli stay English).
var skippedDirs = []string{
	"internal/third_party", "internal/sandbox", "internal/testenv", "internal/l10n",
	"cmd/gen-docs", "bench",
}

// flagDefiners are pflag's (and the project's) flag definitions whose last argument is the
// usage a person reads in --help.
var flagDefiners = map[string]bool{}

func init() {
	for _, t := range []string{"String", "Bool", "Int", "Duration", "StringArray", "StringSlice", "Count", "Uint", "Float64", ""} {
		for _, suffix := range []string{"", "P", "Var", "VarP"} {
			if t == "" && (suffix == "" || suffix == "P") {
				continue
			}
			flagDefiners[t+suffix] = true
		}
	}
	delete(flagDefiners, "String") // fmt.Stringer's, too common; String flags are defined by StringVar/StringP here
	flagDefiners["durationVar"] = true
	flagDefiners["numberVar"] = true
}

// formatFuncs are the project's own functions (called unqualified, in their package) that
// pass a format and its arguments on to l10n.Errorf or a Printer: name → index of the format.
var formatFuncs = map[string]int{
	"usageErrorf":  0,
	"settingError": 2,
	"argsError":    0,
}

// repoRoot is the module's root, two directories up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// scanMessages finds every English message of the product's source.
func scanMessages(t *testing.T) []message {
	t.Helper()
	root := repoRoot(t)
	var msgs []message
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				for _, s := range skippedDirs {
					if rel == s {
						return filepath.SkipDir
					}
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			msgs = append(msgs, scanFile(t, path, rel)...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return msgs
}

// packageConsts are the string constants of the directory of path, by name.
var constCache = map[string]map[string]string{}

func packageConsts(t *testing.T, dir string) map[string]string {
	if c, ok := constCache[dir]; ok {
		return c
	}
	consts := map[string]string{}
	fset := token.NewFileSet()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := stringValue(vs.Values[i], nil); ok {
							consts[name.Name] = s
						}
					}
				}
			}
		}
	}
	constCache[dir] = consts
	return consts
}

// stringValue is the value of a string literal, a sum of them, or a constant of consts.
func stringValue(e ast.Expr, consts map[string]string) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if v.Op != token.ADD {
			return "", false
		}
		a, ok1 := stringValue(v.X, consts)
		b, ok2 := stringValue(v.Y, consts)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return stringValue(v.X, consts)
	case *ast.Ident:
		s, ok := consts[v.Name]
		return s, ok
	}
	return "", false
}

func scanFile(t *testing.T, path, rel string) []message {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := packageConsts(t, filepath.Dir(path))
	imports := map[string]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = true
	}
	var msgs []message
	add := func(n ast.Node, idArg ast.Expr, oneArg ast.Expr, isText bool) {
		id, ok := stringValue(idArg, consts)
		if !ok || strings.TrimSpace(id) == "" {
			return
		}
		m := message{id: id, isText: isText, where: rel + ":" + strconv.Itoa(fset.Position(n.Pos()).Line)}
		if oneArg != nil {
			if m.one, ok = stringValue(oneArg, consts); !ok {
				return
			}
		}
		msgs = append(msgs, m)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch v := n.(type) {
		case *ast.CompositeLit:
			if sel, ok := v.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Command" {
				for _, el := range v.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if key, ok := kv.Key.(*ast.Ident); ok && (key.Name == "Short" || key.Name == "Long" || key.Name == "Example") {
						add(kv, kv.Value, nil, true)
					}
				}
			}
		case *ast.CallExpr:
			name, pkg := "", ""
			switch fn := v.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
				if id, ok := fn.X.(*ast.Ident); ok && imports[id.Name] {
					pkg = id.Name
				}
			case *ast.Ident:
				name = fn.Name
			}
			args := v.Args
			switch {
			case pkg == "l10n" && (name == "Errorf" || name == "M") && len(args) > 0:
				add(v, args[0], nil, false)
			case pkg == "l10n" && name == "P" && len(args) > 2:
				add(v, args[2], args[1], false)
			case pkg == "errkind" && name == "New" && len(args) > 1:
				add(v, args[1], nil, false)
			case pkg == "errkind" && (name == "Usagef" || name == "NotFoundf" || name == "Authf") && len(args) > 0:
				add(v, args[0], nil, false)
			case pkg != "":
				// another package's function (fmt.Sprintf, sanitize.Text): not a Printer
			case pkg == "" && formatFuncs[name] < len(args) && hasFormatFunc(name):
				add(v, args[formatFuncs[name]], nil, false)
			case name == "Sprintf" && len(args) > 0:
				add(v, args[0], nil, false)
			case name == "Fprintf" && len(args) > 1:
				add(v, args[1], nil, false)
			case name == "Plural" && len(args) > 2:
				add(v, args[2], args[1], false)
			case name == "Text" && len(args) == 1:
				add(v, args[0], nil, true)
			case flagDefiners[name] && len(args) >= 3:
				add(v, args[len(args)-1], nil, true)
			}
		}
		return true
	})
	return msgs
}

func hasFormatFunc(name string) bool { _, ok := formatFuncs[name]; return ok }

// verbs are the arguments a format uses: each as its argument index and verb, sorted. %q
// and %s and %v are one class (a French translation quotes with « » where English used %q).
func verbs(format string) []string {
	var out []string
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end > 0 {
				if n, err := strconv.Atoi(format[i+1 : i+end]); err == nil {
					arg = n - 1
				}
				i += end + 1
			}
		}
		for i < len(format) && strings.IndexByte("0123456789.*", format[i]) >= 0 {
			i++
		}
		if i >= len(format) {
			break
		}
		verb := format[i]
		switch verb {
		case 'q', 's', 'v', 'w':
			verb = 's'
		}
		out = append(out, strconv.Itoa(arg)+string(verb))
		arg++
	}
	sort.Strings(out)
	return out
}
