package completion

import (
	"strings"
	"unicode"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

// meaning is what the operator o means, in p's language: output's table says it in English
// (TestOperatorMeaningsAreTheTables holds the two equal in English).
func meaning(p *l10n.Printer, o output.FilterOperator) string {
	switch o.Symbol {
	case "=":
		return p.Text("equals")
	case "!=":
		return p.Text("differs from")
	case "~":
		return p.Text("contains, ignoring case")
	case "!~":
		return p.Text("does not contain")
	case "<":
		return p.Text("less than, before")
	case "<=":
		return p.Text("at most")
	case ">":
		return p.Text("greater than, after")
	case ">=":
		return p.Text("at least")
	}
	return o.Meaning
}

// filterValues are the values worth offering after a field's operator; the other fields take
// free text or dates. A switch rather than a map: nothing to build when the program starts.
func filterValues(field string) []string {
	switch strings.ToLower(field) {
	case "role":
		return []string{output.RoleEditor, output.RoleViewer}
	case "status":
		return []string{output.StatusActive, output.StatusExpiring, output.StatusExpired}
	}
	return nil
}

// Filter completes a --filter expression in three steps: the field name, then the field with
// each operator (output.FilterOperators, the parser's own table), then (for role and status)
// the value. more reports that the expression goes on after the candidates of the first two
// steps, so the shell must leave the cursor on the word (no space).
func Filter(p *l10n.Printer, typed string) (cands []Candidate, more bool) {
	// Operators are shell metacharacters, so the expression is often quoted; fish passes the
	// quotes on (see unquoteShellWord).
	typed = unquoteShellWord(typed)
	n := 0
	for n < len(typed) && unicode.IsLetter(rune(typed[n])) {
		n++
	}
	field, rest := typed[:n], typed[n:]
	var out []Candidate
	if rest == "" {
		for _, name := range output.KeyFieldNames() {
			switch {
			case strings.EqualFold(name, field):
				operators, _ := output.FilterOperators(name)
				for _, op := range operators {
					out = append(out, Candidate{Value: field + op.Symbol, Desc: meaning(p, op)})
				}
			case hasPrefixFold(name, field):
				out = append(out, Candidate{Value: name})
			}
		}
		return out, true
	}
	operators, ok := output.FilterOperators(field)
	if !ok {
		return nil, false
	}
	opText := strings.TrimLeft(rest, " ")
	op := ""
	for _, o := range operators {
		if strings.HasPrefix(opText, o.Symbol) && len(o.Symbol) > len(op) {
			op = o.Symbol
		}
	}
	value := strings.TrimLeft(opText[len(op):], " ")
	if op == "" || value == "" {
		// Offer the operators the text may still become ("!" → "!=", "!~"; "<" → "<", "<="),
		// unless one operator is complete and nothing longer extends it: then the values.
		var ops []output.FilterOperator
		for _, o := range operators {
			if strings.HasPrefix(o.Symbol, opText) {
				ops = append(ops, o)
			}
		}
		if op == "" && len(ops) == 0 {
			return nil, false // "expires~": no operator of the field starts so
		}
		if op == "" || len(ops) > 1 {
			base := typed[:len(typed)-len(opText)]
			for _, o := range ops {
				out = append(out, Candidate{Value: base + o.Symbol, Desc: meaning(p, o)})
			}
			return out, true
		}
	}
	prefix := typed[:len(typed)-len(value)]
	for _, v := range filterValues(field) {
		if hasPrefixFold(v, value) {
			out = append(out, Candidate{Value: prefix + v})
		}
	}
	return out, false
}
