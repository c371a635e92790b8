package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/prompt/ptytest"
)

// row is a key as `list -o json` prints it, decoded independently of internal/output.
type row struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Role    string    `json:"role"`
	Creator string    `json:"creator"`
	Email   string    `json:"email"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	Status  string    `json:"status"`
}

func (ts *testSandbox) listJSON(t *testing.T, args ...string) []row {
	t.Helper()
	code, out, errOut := ts.run(append([]string{"list", "-o", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("list %v: exit %d: %s", args, code, errOut)
	}
	var rows []row
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("list %v: %v\n%s", args, err, out)
	}
	return rows
}

// fieldText is the independent reading of a field, for comparisons.
func fieldText(r row, field string) string {
	switch field {
	case "id":
		return r.ID
	case "title":
		return r.Title
	case "role":
		return r.Role
	case "creator":
		return r.Creator
	case "email":
		return r.Email
	case "status":
		return r.Status
	}
	panic(field)
}

// cmpField orders two rows by one field the way CLI.md describes.
func cmpField(a, b row, field string) int {
	switch field {
	case "created":
		return a.Created.Compare(b.Created)
	case "expires":
		return a.Expires.Compare(b.Expires)
	case "status":
		rank := map[string]int{"active": 0, "expiring": 1, "expired": 2}
		return rank[a.Status] - rank[b.Status]
	}
	return strings.Compare(strings.ToLower(fieldText(a, field)), strings.ToLower(fieldText(b, field)))
}

var allFields = []string{"id", "title", "role", "creator", "email", "created", "expires", "status"}

func TestListSortsByEveryKeyBothWays(t *testing.T) {
	ts := newTestSandbox(t)
	if err := ts.sb.Reset(300); err != nil {
		t.Fatal(err)
	}
	all := ts.listJSON(t)
	if len(all) < 300 {
		t.Fatalf("%d keys, want the seed plus 300", len(all))
	}
	for _, field := range allFields {
		for _, desc := range []bool{false, true} {
			spec := field
			if desc {
				spec = "-" + field
			}
			rows := ts.listJSON(t, "--sort", spec)
			if len(rows) != len(all) {
				t.Fatalf("--sort %s: %d rows, want %d", spec, len(rows), len(all))
			}
			for i := 1; i < len(rows); i++ {
				c := cmpField(rows[i-1], rows[i], field)
				if desc {
					c = -c
				}
				if c > 0 {
					t.Fatalf("--sort %s: row %d (%s) before row %d (%s)", spec, i-1, rows[i-1].ID, i, rows[i].ID)
				}
			}
		}
	}
	// Multi-key: role ascending, then expires descending within a role.
	rows := ts.listJSON(t, "--sort", "role,-expires")
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if c := cmpField(a, b, "role"); c > 0 || c == 0 && a.Expires.Before(b.Expires) {
			t.Fatalf("--sort role,-expires broken at row %d", i)
		}
	}
	// The default order is documented: expires, then title.
	rows = ts.listJSON(t)
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if c := a.Expires.Compare(b.Expires); c > 0 || c == 0 && strings.ToLower(a.Title) > strings.ToLower(b.Title) {
			t.Fatalf("default order broken at row %d", i)
		}
	}
}

func TestListFiltersMatchAnIndependentComputation(t *testing.T) {
	ts := newTestSandbox(t)
	if err := ts.sb.Reset(200); err != nil {
		t.Fatal(err)
	}
	all := ts.listJSON(t)
	now := time.Now().UTC()
	sample := all[len(all)/2]
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	type check struct {
		expr string
		keep func(r row) bool
	}
	lower := strings.ToLower
	var checks []check
	for _, field := range []string{"id", "title", "creator", "email"} {
		v := fieldText(sample, field)
		part := lower(v[1 : len(v)/2+1])
		checks = append(checks,
			check{field + "=" + strings.ToUpper(v), func(r row) bool { return lower(fieldText(r, field)) == lower(v) }},
			check{field + "!=" + v, func(r row) bool { return lower(fieldText(r, field)) != lower(v) }},
			check{field + "~" + strings.ToUpper(part), func(r row) bool { return strings.Contains(lower(fieldText(r, field)), part) }},
			check{field + "!~" + part, func(r row) bool { return !strings.Contains(lower(fieldText(r, field)), part) }},
			check{field + "<" + v, func(r row) bool { return lower(fieldText(r, field)) < lower(v) }},
			check{field + "<=" + v, func(r row) bool { return lower(fieldText(r, field)) <= lower(v) }},
			check{field + ">" + v, func(r row) bool { return lower(fieldText(r, field)) > lower(v) }},
			check{field + ">=" + v, func(r row) bool { return lower(fieldText(r, field)) >= lower(v) }},
		)
	}
	for _, alias := range []string{"editor", "MANAGER", "ORG_EDITOR"} {
		checks = append(checks, check{"role=" + alias, func(r row) bool { return r.Role == "editor" }})
	}
	for _, alias := range []string{"viewer", "user", "org_viewer"} {
		checks = append(checks, check{"role!=" + alias, func(r row) bool { return r.Role != "viewer" }})
	}
	for _, st := range []string{"active", "expiring", "expired"} {
		checks = append(checks,
			check{"status=" + st, func(r row) bool { return r.Status == st }},
			check{"status!=" + st, func(r row) bool { return r.Status != st }})
	}
	for _, field := range []string{"created", "expires"} {
		get := func(r row) time.Time {
			if field == "created" {
				return r.Created
			}
			return r.Expires
		}
		abs := get(sample)
		checks = append(checks,
			check{field + ">=" + abs.Format(time.RFC3339), func(r row) bool { return !get(r).Before(abs) }},
			check{field + "<" + abs.Format(time.RFC3339), func(r row) bool { return get(r).Before(abs) }},
			check{field + "=" + abs.Format(time.RFC3339), func(r row) bool { return get(r).Equal(abs) }},
			check{field + "!=" + abs.Format(time.RFC3339), func(r row) bool { return !get(r).Equal(abs) }},
			// A bare date means the whole UTC day.
			check{field + "=" + day(abs), func(r row) bool { return day(get(r)) == day(abs) }},
			check{field + "<=" + day(abs), func(r row) bool { return day(get(r)) <= day(abs) }},
			check{field + ">" + day(abs), func(r row) bool { return day(get(r)) > day(abs) }},
		)
	}
	// Relative dates, away from the boundary so the clock moving between runs cannot matter.
	checks = append(checks,
		check{"expires<30d", func(r row) bool { return r.Expires.Before(now.Add(30 * 24 * time.Hour)) }},
		check{"expires>=+1y", func(r row) bool { return !r.Expires.Before(now.Add(365 * 24 * time.Hour)) }},
		check{"created>-7d", func(r row) bool { return r.Created.After(now.Add(-7 * 24 * time.Hour)) }},
		check{"created<=-2w", func(r row) bool { return !r.Created.After(now.Add(-14 * 24 * time.Hour)) }},
		check{"expires > -48h", func(r row) bool { return r.Expires.After(now.Add(-48 * time.Hour)) }},
	)
	for _, c := range checks {
		got := ts.listJSON(t, "--filter", c.expr)
		want := map[string]bool{}
		for _, r := range all {
			if c.keep(r) {
				want[r.ID] = true
			}
		}
		if len(got) != len(want) {
			t.Errorf("--filter %q: %d rows, independent computation says %d", c.expr, len(got), len(want))
			continue
		}
		for _, r := range got {
			if !want[r.ID] {
				t.Errorf("--filter %q kept %s (%s) wrongly", c.expr, r.ID, r.Title)
			}
		}
	}

	// Repeated filters AND; the shortcuts equal their filters.
	got := ts.listJSON(t, "--filter", "role=editor", "--filter", "status!=expired", "--filter", "creator~ada")
	for _, r := range got {
		if r.Role != "editor" || r.Status == "expired" || !strings.Contains(lower(r.Creator), "ada") {
			t.Errorf("combined filters kept %+v", r)
		}
	}
	if len(got) == 0 {
		t.Error("combined filters kept nothing: the seed should have such keys")
	}
	expired, byFilter := ts.listJSON(t, "--expired"), ts.listJSON(t, "--filter", "status=expired")
	if len(expired) == 0 || fmt.Sprint(expired) != fmt.Sprint(byFilter) {
		t.Errorf("--expired (%d) differs from status=expired (%d)", len(expired), len(byFilter))
	}
	within := ts.listJSON(t, "--expiring-within", "30d")
	for _, r := range within {
		if r.Status == "expired" || r.Expires.After(now.Add(30*24*time.Hour+time.Minute)) {
			t.Errorf("--expiring-within 30d kept %+v", r)
		}
	}
	if len(within) == 0 {
		t.Error("--expiring-within 30d found nothing; the seed has keys expiring within 30 days")
	}
}

func TestListBadInputExits2PointingAtTheProblem(t *testing.T) {
	ts := newTestSandbox(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--filter", "expires<soon"}, []string{`"soon"`}},
		{[]string{"--filter", "colour=red"}, []string{"colour", "title", "expires"}},
		{[]string{"--filter", "title"}, []string{"~"}},
		{[]string{"--filter", "role=admin"}, []string{"editor", "viewer"}},
		{[]string{"--filter", "status=old"}, []string{"active", "expiring", "expired"}},
		{[]string{"--sort", "colour"}, []string{"colour", "title"}},
		{[]string{"--columns", "title,secret"}, []string{"secret", "expires"}},
		{[]string{"--hide", "nope"}, []string{"nope"}},
		{[]string{"--expiring-within", "soon"}, []string{"soon"}},
		{[]string{"-o", "xml"}, []string{"xml", "json", "csv"}},
	}
	for _, tt := range tests {
		code, out, errOut := ts.run(append([]string{"list"}, tt.args...)...)
		if code != exitUsage {
			t.Errorf("list %v: exit %d, want 2", tt.args, code)
		}
		if out != "" {
			t.Errorf("list %v: stdout %q", tt.args, out)
		}
		for _, w := range tt.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("list %v: stderr lacks %q: %s", tt.args, w, errOut)
			}
		}
	}
}

func TestListFormatsAndColumns(t *testing.T) {
	ts := newTestSandbox(t)
	all := ts.listJSON(t)

	// CSV: header row is the vocabulary; rows equal the JSON rows, same order.
	code, out, _ := ts.run("list", "-o", "csv", "--columns", "all")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil {
		t.Fatalf("csv: exit %d, %v", code, err)
	}
	if strings.Join(recs[0], ",") != strings.Join(allFields, ",") {
		t.Fatalf("csv header %v", recs[0])
	}
	if len(recs)-1 != len(all) {
		t.Fatalf("csv has %d rows, json %d", len(recs)-1, len(all))
	}
	for i, r := range all {
		rec := recs[i+1]
		if rec[0] != r.ID || rec[1] != r.Title || rec[5] != r.Created.Format(time.RFC3339) || rec[6] != r.Expires.Format(time.RFC3339) {
			t.Fatalf("csv row %d %v differs from json %+v", i, rec, r)
		}
	}

	// TSV with --hide and --no-headers.
	_, out, _ = ts.run("list", "-o", "tsv", "--hide", "id,creator", "--no-headers")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(all) || strings.Count(lines[0], "\t") != 2 || lines[0] != all[0].Title+"\t"+all[0].Created.Format(time.RFC3339)+"\t"+all[0].Expires.Format(time.RFC3339) {
		t.Fatalf("tsv --hide id,creator: %q", lines[0])
	}

	// JSON with --columns prints only those keys, in order.
	_, out, _ = ts.run("list", "-o", "json", "--columns", "status,title")
	if !strings.Contains(out, "\"status\": ") || strings.Contains(out, "\"id\"") || strings.Index(out, "\"status\"") > strings.Index(out, "\"title\"") {
		t.Fatalf("json --columns status,title: %s", out[:min(len(out), 200)])
	}

	// YAML prints the same rows.
	_, out, _ = ts.run("list", "-o", "yaml", "--columns", "id")
	if strings.Count(out, "- id: ") != len(all) {
		t.Fatalf("yaml rows: %s", out)
	}

	// Plain text in a pipe: the default columns, RFC 3339 dates, no box drawing or colour.
	_, out, _ = ts.run("list")
	lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if f := strings.Fields(lines[0]); strings.Join(f, ",") != "TITLE,ID,CREATOR,CREATED,EXPIRES" {
		t.Fatalf("plain header %q", lines[0])
	}
	if strings.ContainsAny(out, "│┌─\x1b") || !strings.Contains(out, all[0].Expires.Format(time.RFC3339)) || len(lines) != len(all)+1 {
		t.Fatalf("plain output:\n%s", out)
	}
}

// On a terminal: a tablewriter table, relative dates, colour unless disabled — same columns.
func TestListOnATerminal(t *testing.T) {
	ts := newTestSandbox(t)
	for _, colour := range []bool{true, false} {
		c := ptytest.New(t, ptytest.WithSize(200, 50))
		tty := c.Tty()
		streams := &iostreams.IOStreams{In: tty, Out: tty, ErrOut: tty}
		streams.SetTTY(true, true, true)
		if !colour {
			streams.DisableColor()
		}
		f := ts.factory(streams, nil)
		var code int
		c.Go(func() { code = run(context.Background(), f, []string{"list", "--columns", "title,status,expires"}) })()
		if code != 0 {
			t.Fatalf("exit %d", code)
		}
		c.ExpectString("TITLE")
		// The run has returned, but the terminal may still be pumping: wait for the last row
		// (the default order puts the latest expiry last).
		c.ExpectString("CI pipeline")
		out := c.Output()
		for _, want := range []string{"STATUS", "EXPIRES", "GeoServer sync", "expired", " ago", "in "} {
			if !strings.Contains(out, want) {
				t.Errorf("terminal table lacks %q:\n%s", want, out)
			}
		}
		if !strings.ContainsAny(out, "│|") {
			t.Errorf("no table borders on a terminal:\n%s", out)
		}
		if hasANSIColour := strings.Contains(out, "\x1b[3"); hasANSIColour != colour {
			t.Errorf("colour=%v but ANSI colour present=%v", colour, hasANSIColour)
		}
		c.Close()
	}
}

func TestListPagesThroughLargeOrganizations(t *testing.T) {
	ts := newTestSandbox(t)
	if err := ts.sb.Reset(2500); err != nil {
		t.Fatal(err)
	}
	rows := ts.listJSON(t, "--columns", "id")
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("key %s listed twice", ids[i])
		}
	}
	if len(rows) != 2500+11 {
		t.Fatalf("%d keys, want 2511 (seed 11 + 2500): pages were not all fetched", len(rows))
	}
}
