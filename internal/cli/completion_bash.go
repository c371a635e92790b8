package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// GenBashCompletion writes the bash completion script `apikeys completion bash` prints:
// cobra's (v2; with descriptions when desc) taught to complete comma lists.
//
// cobra's script quotes every candidate with printf %q, which writes a comma as "\,", and
// keeps only the quoted candidates that start with the word typed. A person types
// `--sort title,` with a plain comma, so "title\,id" never matched and `--sort title,<TAB>`
// offered nothing; a lone candidate was inserted as `title\,id`. A comma needs no quoting
// outside braces, which no candidate holds: after each %q the comma is unquoted again
// ("\\," stays a quoted backslash before a comma, as printf %q never leaves a bare comma).
func GenBashCompletion(root *cobra.Command, w io.Writer, desc bool) error {
	var buf bytes.Buffer
	if err := root.GenBashCompletionV2(&buf, desc); err != nil {
		return err
	}
	script, err := unquoteBashCommas(buf.String(), root.Name())
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, script)
	return err
}

// bashCommaFixes are the lines of cobra's bash script that quote candidates, each with the
// line added after it to unquote their commas.
var bashCommaFixes = []struct{ after, add string }{
	// Menu completion (TAB cycling through candidates): every candidate, then every one kept.
	{`        IFS=$'\n' read -ra completions -d '' < <(printf "%q\n" "${completions[@]%%$tab*}")`,
		`        completions=("${completions[@]//\\,/,}")`},
	{`        IFS=$'\n' read -ra COMPREPLY -d '' < <(printf "%q\n" "${COMPREPLY[@]}")`,
		`        COMPREPLY=("${COMPREPLY[@]//\\,/,}")`},
	// Candidates without descriptions: every one, then a lone one kept.
	{`        IFS=$'\n' read -ra completions -d '' < <(printf "%q\n" "${completions[@]}")`,
		`        completions=("${completions[@]//\\,/,}")`},
	{`            COMPREPLY[0]=$(printf "%q" "${COMPREPLY[0]}")`,
		`            COMPREPLY[0]=${COMPREPLY[0]//\\,/,}`},
	// Candidates with descriptions: each one as compared with the word, then a lone one kept.
	{`        printf -v comp "%q" "${compline%%$tab*}" &>/dev/null || comp=$(printf "%q" "${compline%%$tab*}")`,
		`        comp=${comp//\\,/,}`},
	{`        COMPREPLY[0]=$(printf "%q" "${COMPREPLY[0]%%$tab*}")`,
		`        COMPREPLY[0]=${COMPREPLY[0]//\\,/,}`},
}

// unquoteBashCommas adds bashCommaFixes to cobra's script. A line not found once exactly
// means cobra's script changed: generation fails rather than ship a script that quotes
// commas again.
func unquoteBashCommas(script, prog string) (string, error) {
	lines := strings.Split(script, "\n")
	for _, fix := range bashCommaFixes {
		at := -1
		for i, l := range lines {
			if l == fix.after {
				if at >= 0 {
					return "", fmt.Errorf("bash completion for %s: the line %q is in cobra's script more than once", prog, fix.after)
				}
				at = i
			}
		}
		if at < 0 {
			return "", fmt.Errorf("bash completion for %s: cobra's script no longer has the line %q: update bashCommaFixes", prog, fix.after)
		}
		lines = append(lines[:at+1], append([]string{fix.add}, lines[at+1:]...)...)
	}
	return strings.Join(lines, "\n"), nil
}

// useCommaSafeBash makes `apikeys completion bash` print GenBashCompletion's script. It
// creates cobra's completion command now, as Execute would, once the tree's streams are set:
// cobra's subcommands write to the root's output as it is when they are made.
func useCommaSafeBash(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	bash, _, err := root.Find([]string{"completion", "bash"})
	if err != nil || bash.Name() != "bash" {
		return // no default completion command: nothing to replace
	}
	bash.RunE = func(cmd *cobra.Command, _ []string) error {
		noDesc, _ := cmd.Flags().GetBool("no-descriptions")
		return GenBashCompletion(cmd.Root(), cmd.OutOrStdout(), !noDesc)
	}
}
