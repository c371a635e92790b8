// Command gen-docs writes the files generated from the apikeys command tree: the shell
// completion scripts in completions/, a markdown page per command in docs/cli/ and a man page
// per command (section 1) in docs/man/. `make generate` runs it; `make check-generated` runs it
// with -check, which generates into a temporary directory and fails when the committed files
// differ, so CI catches a command or flag changed without regenerating.
//
// The output is deterministic: cobra's "Auto generated ... on DATE" tag is disabled and the
// man pages carry no date (the .TH date field is left empty).
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/k2geospatial/apikeys/internal/cli"
)

// generatedDirs are the directories gen-docs owns entirely: every file in them is generated,
// and a file it no longer generates is removed (or reported stale by -check). Hand-written
// documentation lives beside them in docs/.
var generatedDirs = []string{"completions", filepath.Join("docs", "cli"), filepath.Join("docs", "man")}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen-docs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "repository root holding completions/ and docs/")
	check := fs.Bool("check", false, "change nothing; exit 1 listing the generated files that are stale, missing or extra")
	manGz := fs.String("man-gz", "", "also write the man pages gzipped (no name, no time stamp) into this directory, for packages")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	tmp, err := os.MkdirTemp("", "apikeys-gen-docs-")
	if err != nil {
		fmt.Fprintf(stderr, "gen-docs: %v\n", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if err := generate(tmp); err != nil {
		fmt.Fprintf(stderr, "gen-docs: %v\n", err)
		return 1
	}
	if *check {
		problems, err := compare(tmp, *root)
		if err != nil {
			fmt.Fprintf(stderr, "gen-docs: %v\n", err)
			return 1
		}
		if len(problems) > 0 {
			fmt.Fprintf(stderr, "generated files are out of date:\n  %s\nrun `make generate` and commit the result\n", strings.Join(problems, "\n  "))
			return 1
		}
		fmt.Fprintln(stdout, "generated files are up to date")
	} else if err := install(tmp, *root); err != nil {
		fmt.Fprintf(stderr, "gen-docs: %v\n", err)
		return 1
	}
	if *manGz != "" {
		if err := gzipMan(filepath.Join(tmp, "docs", "man"), *manGz); err != nil {
			fmt.Fprintf(stderr, "gen-docs: %v\n", err)
			return 1
		}
	}
	return 0
}

// generate writes every generated file under dir, laid out as in the repository.
func generate(dir string) error {
	root := cli.NewRootCmdForDocs()
	disableAutoGenTag(root)
	for _, d := range generatedDirs {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	if err := completionScripts(root, filepath.Join(dir, "completions")); err != nil {
		return err
	}
	if err := doc.GenMarkdownTree(root, filepath.Join(dir, "docs", "cli")); err != nil {
		return fmt.Errorf("markdown pages: %w", err)
	}
	return manPages(root, filepath.Join(dir, "docs", "man"))
}

func disableAutoGenTag(cmd *cobra.Command) {
	cmd.DisableAutoGenTag = true
	for _, c := range cmd.Commands() {
		disableAutoGenTag(c)
	}
}

// completionScripts writes the scripts `apikeys completion SHELL` prints, under the names the
// shells look for: zsh loads a completion function from a file named after it (_apikeys).
func completionScripts(root *cobra.Command, dir string) error {
	scripts := []struct {
		name string
		gen  func(io.Writer) error
	}{
		{"apikeys.bash", func(w io.Writer) error { return cli.GenBashCompletion(root, w, true) }},
		{"_apikeys", root.GenZshCompletion},
		{"apikeys.fish", func(w io.Writer) error { return root.GenFishCompletion(w, true) }},
		{"apikeys.ps1", root.GenPowerShellCompletionWithDesc},
	}
	for _, s := range scripts {
		var buf bytes.Buffer
		if err := s.gen(&buf); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, s.name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// manDate is a placeholder date given to cobra, whose man header always has one; it is then
// removed from each page's .TH line, so that regenerating never changes a page.
var manDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

var thDate = regexp.MustCompile(`(?m)^(\.TH "[^"]*" "1" )"Jan 2000"`)

func manPages(root *cobra.Command, dir string) error {
	header := &doc.GenManHeader{Section: "1", Date: &manDate, Source: "apikeys", Manual: "apikeys manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("man pages: %w", err)
	}
	exitStatus, environment := cli.ManSections(root)
	sections := manSection("EXIT STATUS", exitStatus) + manSection("ENVIRONMENT", environment)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out := thDate.ReplaceAll(b, []byte(`$1""`))
		if bytes.Equal(out, b) {
			return fmt.Errorf("man page %s: no .TH line with the placeholder date", e.Name())
		}
		out = withSections(out, sections)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// manSection is a man page section holding text as written (roff's example block).
func manSection(title, text string) string {
	var b strings.Builder
	b.WriteString(".SH " + title + "\n.EX\n")
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.ReplaceAll(line, `\`, `\e`)
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line // not a request
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(".EE\n\n\n")
	return b.String()
}

// withSections puts sections before the page's SEE ALSO, or at its end.
func withSections(page []byte, sections string) []byte {
	if i := bytes.Index(page, []byte("\n.SH SEE ALSO")); i >= 0 {
		return slices.Concat(page[:i+1], []byte(sections), page[i+1:])
	}
	return append(page, sections...)
}

// listFiles returns the files of the generated directories under root, as slash paths
// relative to root; a missing directory has none.
func listFiles(root string) (map[string]bool, error) {
	files := map[string]bool{}
	for _, d := range generatedDirs {
		entries, err := os.ReadDir(filepath.Join(root, d))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() {
				files[filepath.ToSlash(filepath.Join(d, e.Name()))] = true
			}
		}
	}
	return files, nil
}

// compare lists the differences between freshly generated files (in gen) and the committed
// ones (in root): stale, missing, or no longer generated.
func compare(gen, root string) ([]string, error) {
	want, err := listFiles(gen)
	if err != nil {
		return nil, err
	}
	have, err := listFiles(root)
	if err != nil {
		return nil, err
	}
	var problems []string
	for name := range want {
		if !have[name] {
			problems = append(problems, name+" (missing)")
			continue
		}
		a, err := os.ReadFile(filepath.Join(gen, name))
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(a, b) {
			problems = append(problems, name+" (stale)")
		}
	}
	for name := range have {
		if !want[name] {
			problems = append(problems, name+" (no longer generated)")
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// install copies the generated files into root, writing only those that changed and removing
// those no longer generated from the generated directories.
func install(gen, root string) error {
	want, err := listFiles(gen)
	if err != nil {
		return err
	}
	have, err := listFiles(root)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(gen, name))
		if err != nil {
			return err
		}
		dst := filepath.Join(root, filepath.FromSlash(name))
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, b) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	for name := range have {
		if !want[name] {
			if err := os.Remove(filepath.Join(root, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	return nil
}

// gzipMan writes each man page of src gzipped into dst, with no file name or time in the gzip
// header, so the compressed pages are as reproducible as the pages.
func gzipMan(src, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(b); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()+".gz"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
