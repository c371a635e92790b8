package completion

import (
	"slices"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
)

func TestFilterCandidates(t *testing.T) {
	const more, done = true, false
	tests := []struct {
		toComplete string
		want       []string
		more       bool
	}{
		{"", []string{"id", "title", "role", "creator", "email", "created", "expires", "status"}, more},
		{"cr", []string{"creator", "created"}, more},
		{"status", []string{"status=\tequals", "status!=\tdiffers from", "status~\tcontains, ignoring case", "status!~\tdoes not contain", "status<\tless than, before", "status<=\tat most", "status>\tgreater than, after", "status>=\tat least"}, more},
		{"expires", []string{"expires=\tequals", "expires!=\tdiffers from", "expires<\tless than, before", "expires<=\tat most", "expires>\tgreater than, after", "expires>=\tat least"}, more},
		{"expires<", []string{"expires<\tless than, before", "expires<=\tat most"}, more},
		{"created!", []string{"created!=\tdiffers from"}, more},
		{"expires~", nil, done},
		{"role!", []string{"role!=\tdiffers from", "role!~\tdoes not contain"}, more},
		{"role=", []string{"role=editor", "role=viewer"}, done},
		{"role = v", []string{"role = viewer"}, done},
		{"status!=exp", []string{"status!=expiring", "status!=expired"}, done},
		{"'status=a", []string{"status=active"}, done}, // fish passes the quote on
		{"title~", nil, done},
		{"expires<=30d", nil, done},
		{"nosuch=", nil, done},
	}
	for _, tt := range tests {
		cands, more := Filter(nil, tt.toComplete)
		if got := texts(cands); !slices.Equal(got, tt.want) || more != tt.more {
			t.Errorf("%q: got %q (more %v), want %q (more %v)", tt.toComplete, got, more, tt.want, tt.more)
		}
	}
}

// TestFilterCompletionsParse: completion offers exactly what the filter parser accepts. Every
// field's operator candidates parse once given a value of the field's kind, every operator
// the parser accepts for the field is offered, and every value candidate parses as it is.
func TestFilterCompletionsParse(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	sample := map[string]string{"role": "editor", "status": "active", "created": "2026-01-02", "expires": "30d"}
	parses := func(expr string) bool {
		_, err := output.ParseFilter(unquoteShellWord(expr), now)
		return err == nil
	}
	for _, field := range output.KeyFieldNames() {
		value := sample[field]
		if value == "" {
			value = "x"
		}
		offered := map[string]bool{}
		// explore follows the completion as a user pressing TAB again would: a candidate
		// that leaves the cursor on the word (more) is an operator still open, which
		// must parse once a value follows; the others are whole expressions.
		var explore func(typed string)
		explore = func(typed string) {
			cands, more := Filter(nil, typed)
			for _, c := range cands {
				expr := c.Value
				if !more {
					if !parses(expr) {
						t.Errorf("%q is offered after %q but does not parse", expr, typed)
					}
					continue
				}
				offered[expr] = true
				if !parses(expr + value) {
					t.Errorf("%q is offered after %q but %q does not parse", expr, typed, expr+value)
				}
				if expr != typed {
					explore(expr)
				}
			}
		}
		explore(field)
		for _, op := range []string{"=", "!=", "~", "!~", "<", "<=", ">", ">="} {
			if parses(field+op+value) && !offered[field+op] {
				t.Errorf("the parser accepts %q but completion does not offer %q", field+op+value, field+op)
			}
		}
	}
}

// The operators' meanings in English are output's table's, which completion says in the
// reader's language: a symbol or meaning changed there and not here fails.
func TestOperatorMeaningsAreTheTables(t *testing.T) {
	n := 0
	for _, field := range output.KeyFieldNames() {
		ops, _ := output.FilterOperators(field)
		for _, o := range ops {
			n++
			if got := meaning(nil, o); got != o.Meaning {
				t.Errorf("%s: meaning %q, output's table says %q", o.Symbol, got, o.Meaning)
			}
			if fr := meaning(l10n.For(l10n.French), o); fr == o.Meaning {
				t.Errorf("%s: no French for %q", o.Symbol, o.Meaning)
			}
		}
	}
	if n < 8 {
		t.Fatalf("only %d operators: the walk is broken", n)
	}
}
