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
	flagDefiners["durationVar"] = true
}

// modulePath is the import path of the module's root: a constant of one of its packages
// (envbool.Words) is a message too.
const modulePath = "github.com/k2geospatial/apikeys/"

// formatFuncs are the project's own functions (called unqualified, in their package) that
// pass a format and its arguments on to l10n.Errorf or a Printer: name → index of the format.
var formatFuncs = map[string]int{
	"usageErrorf":  0,
	"settingError": 2,
	"say":          0,
	"argsError":    0, // internal/cli: a wrong number of arguments (errkind.Usagef)
}

// externalMessages are cobra's texts that apikeys shows in French: the descriptions of its
// help and completion commands and completion's --no-descriptions. The program's name in
// them is written %[1]s, as cobra's source has it, and as internal/cli's help finds them
// (commandText). TestExternalMessagesAreCobras holds them equal to what cobra builds.
var externalMessages = []string{
	"Help about any command",
	"Help provides help for any command in the application.\nSimply type %[1]s help [path to command] for full details.",
	"Generate the autocompletion script for the specified shell",
	"Generate the autocompletion script for %[1]s for the specified shell.\nSee each sub-command's help for details on how to use the generated script.\n",
	"Generate the autocompletion script for bash",
	"Generate the autocompletion script for zsh",
	"Generate the autocompletion script for fish",
	"Generate the autocompletion script for powershell",
	"Generate the autocompletion script for the bash shell.\n\nThis script depends on the 'bash-completion' package.\nIf it is not installed already, you can install it via your OS's package manager.\n\nTo load completions in your current shell session:\n\n\tsource <(%[1]s completion bash)\n\nTo load completions for every new session, execute once:\n\n#### Linux:\n\n\t%[1]s completion bash > /etc/bash_completion.d/%[1]s\n\n#### macOS:\n\n\t%[1]s completion bash > $(brew --prefix)/etc/bash_completion.d/%[1]s\n\nYou will need to start a new shell for this setup to take effect.\n",
	"Generate the autocompletion script for the zsh shell.\n\nIf shell completion is not already enabled in your environment you will need\nto enable it.  You can execute the following once:\n\n\techo \"autoload -U compinit; compinit\" >> ~/.zshrc\n\nTo load completions in your current shell session:\n\n\tsource <(%[1]s completion zsh)\n\nTo load completions for every new session, execute once:\n\n#### Linux:\n\n\t%[1]s completion zsh > \"${fpath[1]}/_%[1]s\"\n\n#### macOS:\n\n\t%[1]s completion zsh > $(brew --prefix)/share/zsh/site-functions/_%[1]s\n\nYou will need to start a new shell for this setup to take effect.\n",
	"Generate the autocompletion script for the fish shell.\n\nTo load completions in your current shell session:\n\n\t%[1]s completion fish | source\n\nTo load completions for every new session, execute once:\n\n\t%[1]s completion fish > ~/.config/fish/completions/%[1]s.fish\n\nYou will need to start a new shell for this setup to take effect.\n",
	"Generate the autocompletion script for powershell.\n\nTo load completions in your current shell session:\n\n\t%[1]s completion powershell | Out-String | Invoke-Expression\n\nTo load completions for every new session, add the output of the above command\nto your powershell profile.\n",
	"disable completion descriptions",
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
	for _, id := range externalMessages {
		// Formats: their verbs are the program's name, which commandText passes.
		msgs = append(msgs, message{id: id, where: "cobra (externalMessages)"})
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

// imported is the value of the string constant name of the package imported as pkg in the
// file being read, for stringValue; nil when there is no such file.
type imported func(pkg, name string) (string, bool)

// stringValue is the value of a string literal, a sum of them, a constant of consts, or a
// constant of another package of the module.
func stringValue(e ast.Expr, consts map[string]string, pkgs ...imported) (string, bool) {
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
		a, ok1 := stringValue(v.X, consts, pkgs...)
		b, ok2 := stringValue(v.Y, consts, pkgs...)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return stringValue(v.X, consts, pkgs...)
	case *ast.Ident:
		s, ok := consts[v.Name]
		return s, ok
	case *ast.SelectorExpr:
		if id, ok := v.X.(*ast.Ident); ok && len(pkgs) > 0 && pkgs[0] != nil {
			return pkgs[0](id.Name, v.Sel.Name)
		}
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
	importDirs := map[string]string{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = true
		if rest, ok := strings.CutPrefix(p, modulePath); ok {
			importDirs[name] = filepath.Join(repoRoot(t), filepath.FromSlash(rest))
		}
	}
	fromImport := func(pkg, name string) (string, bool) {
		dir, ok := importDirs[pkg]
		if !ok {
			return "", false
		}
		s, ok := packageConsts(t, dir)[name]
		return s, ok
	}
	var msgs []message
	add := func(n ast.Node, idArg ast.Expr, oneArg ast.Expr, isText bool) {
		id, ok := stringValue(idArg, consts, fromImport)
		if !ok || strings.TrimSpace(id) == "" {
			return
		}
		m := message{id: id, isText: isText, where: rel + ":" + strconv.Itoa(fset.Position(n.Pos()).Line)}
		if oneArg != nil {
			if m.one, ok = stringValue(oneArg, consts, fromImport); !ok {
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
			case name == "TextFor" && len(args) == 2:
				ctx, ok1 := stringValue(args[0], consts)
				word, ok2 := stringValue(args[1], consts)
				if ok1 && ok2 {
					msgs = append(msgs, message{id: ctx + "|" + word, isText: true, where: rel + ":" + strconv.Itoa(fset.Position(v.Pos()).Line)})
				}
			case name == "numberVar" && len(args) >= 7:
				// numberVar(fs, define, p, name, def, usage, takes): takes is said in errors
				add(v, args[len(args)-2], nil, true)
				add(v, args[len(args)-1], nil, false)
			case name == "String" && len(args) == 3:
				add(v, args[2], nil, true) // a FlagSet's String(name, value, usage), not fmt.Stringer's
			case flagDefiners[name] && len(args) >= 3:
				add(v, args[len(args)-1], nil, true)
			}
		}
		return true
	})
	return msgs
}

func hasFormatFunc(name string) bool { _, ok := formatFuncs[name]; return ok }

// verbs are the arguments a format uses: each as its argument index and verb, sorted. %q,
// %s and %v are one class (a French translation quotes with « » where English used %q: the
// Printer keeps %q's escaping, keepQuoting).
func verbs(format string) []string {
	var out []string
	for arg, verb := range argVerbs(format) {
		switch verb {
		case 'q', 's', 'v', 'w':
			verb = 's'
		}
		out = append(out, strconv.Itoa(arg)+string(verb))
	}
	sort.Strings(out)
	return out
}
