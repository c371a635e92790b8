// Package completion computes what shell completion offers: the candidates for a flag's or
// an argument's value, each a value and a description, from the text being typed and the data
// it completes from (the key vocabulary, the filter operators, a key or member list). It is
// pure: it reads no file, opens no session and knows nothing of cobra; internal/cli wires it
// to the commands and internal/compcache remembers the lists between two TABs.
//
// Server text (titles, names, emails, IDs) reaches the user's shell and screen: values that a
// terminal would act on are not offered, and descriptions are shown through sanitize.Text,
// which also keeps each on one line as the completion protocol needs.
package completion

import (
	"strings"

	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Candidate is one completion: the value the shell inserts and a description it may show
// beside it (empty for none). Desc is already safe to show.
type Candidate struct {
	Value string
	Desc  string
	// line, when set, is "Value\tDesc" already put together: Keys writes its candidates in
	// one string, of which Value and Desc are parts.
	line string
}

// Line is the candidate as the completion protocol writes it: the value, then a tab and the
// description when there is one.
func (c Candidate) Line() string {
	v := len(c.Value)
	switch {
	case c.line != "" && len(c.line) == v+1+len(c.Desc) && c.line[:v] == c.Value && c.line[v+1:] == c.Desc:
		return c.line // Value and Desc unchanged since Keys made them (parts of line: compared by address)
	case c.Desc == "":
		return c.Value
	}
	return c.Value + "\t" + c.Desc
}

// describe makes the candidate of value described by server text desc.
func describe(value, desc string) Candidate {
	return Candidate{Value: value, Desc: sanitize.Text(desc)}
}

// Fixed completes one of a fixed set of values (formats, roles), in their order.
func Fixed(values []string, typed string) []Candidate {
	var out []Candidate
	for _, v := range values {
		if hasPrefixFold(v, typed) {
			out = append(out, Candidate{Value: v})
		}
	}
	return out
}

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(prefix))
}

// unquoteShellWord removes the shell quoting of a word being typed: backslash escapes and
// single or double quotes, closed or not. Bash and zsh's cobra scripts pass the word unquoted,
// but fish's passes it as typed ("GeoServer\ s", "'Public web"), so a title with spaces
// would otherwise stop completing after its first word in fish.
func unquoteShellWord(s string) string {
	var b strings.Builder
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			b.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped = true
		case quote == 0 && (r == '\'' || r == '"'):
			quote = r
		case quote != 0 && r == quote:
			quote = 0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
