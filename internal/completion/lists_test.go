package completion

import (
	"slices"
	"testing"
)

func TestListCandidates(t *testing.T) {
	columns := func(s string) []Candidate { return Columns(nil, s) }
	sort := func(s string) []Candidate { return Sort(nil, s) }
	tests := []struct {
		name, toComplete string
		complete         func(string) []Candidate
		want             []string
	}{
		{"columns, first item", "t", columns, []string{"title"}},
		{"columns, all only alone", "a", columns, []string{"all\tevery column"}},
		{"columns, after a comma", "title,c", columns, []string{"title,creator", "title,created"}},
		{"columns, listed items left out", "title,id,", columns, []string{"title,id,role", "title,id,creator", "title,id,email", "title,id,created", "title,id,expires", "title,id,status"}},
		{"columns, any case", "TITLE,EX", columns, []string{"TITLE,expires"}},
		{"sort, ascending and descending", "ex", sort, []string{"expires\tascending"}},
		{"sort, descending", "-ex", sort, []string{"-expires\tdescending"}},
		{"sort, after a comma", "-expires,t", sort, []string{"-expires,title\tascending"}},
		{"sort, a key is used once whichever way", "title,-t", sort, nil},
		{"hide", "title,s", func(s string) []Candidate {
			return listCandidates(s, plainChoices([]string{"id", "title", "status"}))
		}, []string{"title,status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texts(tt.complete(tt.toComplete)); !slices.Equal(got, tt.want) {
				t.Errorf("%q: got %q, want %q", tt.toComplete, got, tt.want)
			}
		})
	}
	if got := Sort(nil, ""); len(got) != 16 {
		t.Errorf("sort with nothing typed: got %d candidates, want the 8 keys both ways: %q", len(got), got)
	}
}
