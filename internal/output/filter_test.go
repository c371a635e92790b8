package output

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFilterEveryOperatorEveryField(t *testing.T) {
	// Fixture order: b2 a1 c3 D4 (see fixtureKeys); testNow = 2026-03-01T12:00Z.
	tests := []struct {
		expr string
		want string
	}{
		// id: text, case-insensitive
		{"id=A1", "a1"},
		{"id!=a1", "b2 c3 D4"},
		{"id~d", "D4"},
		{"id!~d", "b2 a1 c3"},
		{"id<b2", "a1"},
		{"id<=B2", "b2 a1"},
		{"id>c3", "D4"},
		{"id>=c3", "c3 D4"},

		// title
		{"title=ALPHA", "a1"},
		{"title!=alpha", "b2 c3 D4"},
		{"title~TA", "b2 D4"},
		{"title!~ta", "a1 c3"},
		{"title<beta", "a1"},
		{"title<=Beta", "b2 a1"},
		{"title>delta", "c3"},
		{"title>=delta", "c3 D4"},

		// role: aliases, editor < viewer
		{"role=editor", "b2 D4"},
		{"role=MANAGER", "b2 D4"},
		{"role=ORG_EDITOR", "b2 D4"},
		{"role=user", "a1 c3"},
		{"role=ORG_VIEWER", "a1 c3"},
		{"role!=editor", "a1 c3"},
		{"role~edit", "b2 D4"},
		{"role!~edit", "a1 c3"},
		{"role<viewer", "b2 D4"},
		{"role<=editor", "b2 D4"},
		{"role>editor", "a1 c3"},
		{"role>=manager", "b2 a1 c3 D4"},

		// creator
		{"creator=BOB", "a1"},
		{"creator!=bob", "b2 c3 D4"},
		{"creator~A", "b2 c3 D4"},
		{"creator!~a", "a1"},
		{"creator<bob", "c3"},
		{"creator<=bob", "a1 c3"},
		{"creator>carol", "D4"},
		{"creator>=carol", "b2 D4"},

		// email, including the empty one
		{`email=""`, "D4"},
		{`email!=""`, "b2 a1 c3"},
		{"email=bob@X.IO", "a1"},
		{"email~BOB", "a1"},
		{"email!~x.io", "D4"},
		{"email<b", "c3 D4"},
		{"email<=bob@x.io", "a1 c3 D4"},
		{"email>bob@x.io", "b2"},
		{"email>=bob@x.io", "b2 a1"},

		// created: a bare date is the whole UTC day
		{"created=2025-01-15", "a1"},
		{"created=2024-11-30", "D4"}, // 23:30 UTC is still the 30th
		{"created=2024-12-01", ""},
		{"created!=2025-01-15", "b2 c3 D4"},
		{"created<2025-01-15", "D4"},
		{"created<=2025-01-15", "a1 D4"}, // includes the 15th
		{"created>2025-01-15", "b2 c3"},  // starts on the 16th
		{"created>=2025-01-15", "b2 a1 c3"},
		// created: instants, compared to the second
		{"created=2025-01-15T08:00:00Z", "a1"},
		{"created=2025-01-15T09:00:00+01:00", "a1"},
		{"created=2025-01-15T08:00:00.9Z", "a1"},
		{"created!=2025-01-15T08:00:00Z", "b2 c3 D4"},
		{"created<2025-06-01T00:00:00Z", "a1 D4"},
		{"created<=2025-06-01T00:00:00Z", "b2 a1 D4"},
		{"created>2025-06-01T00:00:00Z", "c3"},
		{"created>=2025-06-01T00:00:00Z", "b2 c3"},
		// created: relative
		{"created>-7d", "c3"},
		{"created>-1w", "c3"},
		{"created<-7d", "b2 a1 D4"},
		{"created>=-1y", "b2 c3"},
		{"created<=-48h", "b2 a1 c3 D4"}, // c3 is exactly now-48h
		{"created<-48h", "b2 a1 D4"},

		// expires: relative (no sign = future)
		{"expires<30d", "b2 c3"},
		{"expires<+30d", "b2 c3"},
		{"expires>=30d", "a1 D4"},
		{"expires<2w", "b2 c3"},
		{"expires>1y", "D4"},
		{"expires<now", "c3"},
		{"expires<=0h", "c3"},
		{"expires>-3d", "b2 a1 D4"},
		{"expires=10d", "b2"}, // exactly now+10d
		{"expires!=10d", "a1 c3 D4"},
		// expires: absolute (now+10d is 2026-03-11T12:00Z)
		{"expires=2026-03-11", "b2"},
		{"expires!=2026-03-11", "a1 c3 D4"},
		{"expires<2026-03-11", "c3"},
		{"expires<=2026-03-11", "b2 c3"},
		{"expires>2026-03-11", "a1 D4"},
		{"expires>=2026-03-11", "b2 a1 D4"},
		{"expires=2026-03-11T12:00:00Z", "b2"},
		{"expires>2026-03-11T12:00:00Z", "a1 D4"},
		{"expires>=today", "b2 a1 D4"},

		// status: active < expiring < expired
		{"status=expiring", "b2"},
		{"status=ACTIVE", "a1 D4"},
		{"status!=active", "b2 c3"},
		{"status~exp", "b2 c3"},
		{"status!~exp", "a1 D4"},
		{"status<expired", "b2 a1 D4"},
		{"status<=expiring", "b2 a1 D4"},
		{"status>active", "b2 c3"},
		{"status>=expired", "c3"},
		// The words a French terminal shows, accents optional, composed or not.
		{"status=expirée", "c3"},
		{"status=EXPIREE", "c3"},
		{"status=expire\u0301e", "c3"},
		{"status=expire bientôt", "b2"},
		{"status!=Expire bientot", "a1 c3 D4"},
		{"role=éditeur", "b2 D4"},
		{"role=lecteur", "a1 c3"},

		// spelling: spaces, case of the field, quotes, ==
		{"role = editor", "b2 D4"},
		{"  expires < 30d  ", "b2 c3"},
		{"TITLE~al", "a1"},
		{`title ~ "al"`, "a1"},
		{`title='alpha'`, "a1"},
		{`title="=alpha"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := ParseFilter(tt.expr, testNow)
			if err != nil {
				t.Fatalf("ParseFilter(%q): %v", tt.expr, err)
			}
			if got := idsOf(FilterKeys(fixtureKeys(), []Filter{f})); got != tt.want {
				t.Errorf("filter %q matched [%s], want [%s]", tt.expr, got, tt.want)
			}
		})
	}
}

func TestFilterCombined(t *testing.T) {
	tests := []struct {
		exprs []string
		want  string
	}{
		{nil, "b2 a1 c3 D4"},
		{[]string{"role=editor", "expires<30d"}, "b2"},
		{[]string{"role=viewer", "status!=expired", "created<2026-01-01"}, "a1"},
		{[]string{"title~a", "title~l"}, "a1 D4"},
		{[]string{"status=active", "status=expired"}, ""},
	}
	for _, tt := range tests {
		var filters []Filter
		for _, e := range tt.exprs {
			f, err := ParseFilter(e, testNow)
			if err != nil {
				t.Fatal(err)
			}
			filters = append(filters, f)
		}
		in := fixtureKeys()
		got := FilterKeys(in, filters)
		if idsOf(got) != tt.want {
			t.Errorf("filters %v matched [%s], want [%s]", tt.exprs, idsOf(got), tt.want)
		}
		if got == nil {
			t.Errorf("filters %v: FilterKeys returned nil, want an empty slice", tt.exprs)
		}
		if idsOf(in) != "b2 a1 c3 D4" {
			t.Errorf("FilterKeys modified its input: %s", idsOf(in))
		}
	}
}

func TestFilterEmptyStatusAndNeverExpires(t *testing.T) {
	keys := []Key{
		{ID: "old", Expires: testNow.Add(-time.Hour)}, // Status left empty: computed from now
		{ID: "never"}, // no expiry
		{ID: "soon", Expires: testNow.Add(time.Hour)},
	}
	tests := []struct{ expr, want string }{
		{"status=expired", "old"},
		{"status=active", "never"},
		{"status~ing", "soon"},
		{"expires<30d", "old soon"},
		{"expires>30d", "never"},
		{"expires!=2026-03-01", "never"},
	}
	for _, tt := range tests {
		f, err := ParseFilter(tt.expr, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if got := idsOf(FilterKeys(keys, []Filter{f})); got != tt.want {
			t.Errorf("%s matched [%s], want [%s]", tt.expr, got, tt.want)
		}
	}
}

func TestFilterString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"expires < 30d", "expires<30d"},
		{"Role=MANAGER", "role=MANAGER"},
		{`title = "my key"`, `title="my key"`},
		{"title=my key", `title="my key"`},
		{`email=""`, `email=""`},
		{`title< "=x"`, `title<"=x"`},
		{`title="'a'"`, `title="'a'"`},
		{"created>=-7d", "created>=-7d"},
	}
	for _, tt := range tests {
		f, err := ParseFilter(tt.in, testNow)
		if err != nil {
			t.Fatalf("ParseFilter(%q): %v", tt.in, err)
		}
		if got := f.String(); got != tt.want {
			t.Errorf("ParseFilter(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		again, err := ParseFilter(f.String(), testNow)
		if err != nil || again.String() != f.String() {
			t.Errorf("String() %q does not parse back to itself: %v, %v", f.String(), again, err)
		}
	}
}

func TestParseFilterErrors(t *testing.T) {
	tests := []struct {
		expr string
		want string // the whole message: these are what users read
	}{
		{"expires<soon", `invalid filter "expires<soon": "soon" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"name=x", `invalid filter "name=x": unknown field "name" (fields: id, title, role, creator, email, created, expires, status)`},
		{"title", `invalid filter "title": missing operator after "title" (use one of = != ~ !~ < <= > >=)`},
		{"title:foo", `invalid filter "title:foo": expected an operator after "title", not ":foo" (use one of = != ~ !~ < <= > >=)`},
		{"=x", `invalid filter "=x": it must start with a field name (fields: id, title, role, creator, email, created, expires, status)`},
		{"", `invalid filter "": it must start with a field name (fields: id, title, role, creator, email, created, expires, status)`},
		{"expires~2026", `invalid filter "expires~2026": operator "~" does not apply to dates (use = != < <= > >=)`},
		{"created!~x", `invalid filter "created!~x": operator "!~" does not apply to dates (use = != < <= > >=)`},
		{"role=admin", `invalid filter "role=admin": unknown role "admin" (use editor, éditeur, manager or ORG_EDITOR for editors; viewer, lecteur, user or ORG_VIEWER for viewers)`},
		{"status=old", `invalid filter "status=old": unknown status "old" (use active, expiring or expired)`},
		{"expires<", `invalid filter "expires<": the value after "<" is empty (an unset shell variable?): give the value to compare with`},
		{"role=", `invalid filter "role=": the value after "=" is empty (an unset shell variable?): give the value to compare with`},
		{`role=""`, `invalid filter "role=\"\"": the value after "=" is empty (an unset shell variable?): give the value to compare with`},
		{"title~", `invalid filter "title~": the value after "~" is empty (an unset shell variable?): give the value to compare with`},
		{"title!=  ", `invalid filter "title!=  ": the value after "!=" is empty (an unset shell variable?): give the value to compare with`},
		{"title=", `invalid filter "title=": the value after "=" is empty (an unset shell variable?): give the value to compare with`},
		{"email!~", `invalid filter "email!~": the value after "!~" is empty (an unset shell variable?): give the value to compare with`},
		{"title==x", `invalid filter "title==x": unknown operator "==" (use one of = != ~ !~ < <= > >=); quote a value that starts with "=": title="=x"`},
		{"title=~x", `invalid filter "title=~x": unknown operator "=~" (use one of = != ~ !~ < <= > >=); quote a value that starts with "~": title="~x"`},
		{"expires<<30d", `invalid filter "expires<<30d": unknown operator "<<" (use one of = != ~ !~ < <= > >=); quote a value that starts with "<": expires<"<30d"`},
		{"title<>x", `invalid filter "title<>x": unknown operator "<>" (use one of = != ~ !~ < <= > >=); quote a value that starts with ">": title<">x"`},
		{"title!==x", `invalid filter "title!==x": unknown operator "!==" (use one of = != ~ !~ < <= > >=); quote a value that starts with "=": title!="=x"`},
		{"title = =x", `invalid filter "title = =x": unknown operator "==" (use one of = != ~ !~ < <= > >=); quote a value that starts with "=": title="=x"`},
		{"created>2026-02-30", `invalid filter "created>2026-02-30": "2026-02-30" is not a valid date: day out of range`},
		{"expires<6m", `invalid filter "expires<6m": "6m" is not a date: m could mean minutes or months: write min for minutes, or days such as 30d`},
		{"expires<2026-01-02T10:00:00", `invalid filter "expires<2026-01-02T10:00:00": "2026-01-02T10:00:00" has no time zone (add Z for UTC or an offset like +02:00)`},
		{"expires<30", `invalid filter "expires<30": "30" is not a date (use YYYY-MM-DD, RFC 3339, or a relative time like 30d, -7d)`},
		{"expires<999y", `invalid filter "expires<999y": "999y" is too far from now`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := ParseFilter(tt.expr, testNow)
			if err == nil {
				t.Fatalf("ParseFilter(%q) = %v, want an error", tt.expr, f)
			}
			wantUsageError(t, err)
			if err.Error() != tt.want {
				t.Errorf("ParseFilter(%q) error\n got: %s\nwant: %s", tt.expr, err, tt.want)
			}
		})
	}
}

// FuzzParseFilter checks that no expression panics, that every rejection is
// a *UsageError quoting the expression, and that an accepted filter's
// String() parses back to a filter that says the same thing and matches the
// same keys.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"expires<30d", "role = editor", `title~"prod"`, "created>=2026-01-02",
		"status!=expired", `email=""`, "id!~x", "created=2026-01-02T15:04:05+02:00", `title< "=x"`, "title==x", "title~", "expires<soon"} {
		f.Add(s)
	}
	keys := fixtureKeys()
	keys = append(keys, Key{ID: "z", Title: " =x ", Role: "ORG_ADMIN"}, Key{ID: "never", Title: `"q"`})
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := ParseFilter(expr, testNow)
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseFilter(%q) error %v is not a *UsageError", expr, err)
			}
			if !strings.HasPrefix(err.Error(), "invalid filter ") {
				t.Fatalf("ParseFilter(%q) error %q does not say which filter", expr, err)
			}
			return
		}
		again, err := ParseFilter(flt.String(), testNow)
		if err != nil {
			t.Fatalf("ParseFilter(%q).String() = %q does not parse: %v", expr, flt.String(), err)
		}
		if again.String() != flt.String() {
			t.Fatalf("String() not stable: %q then %q", flt.String(), again.String())
		}
		for _, k := range keys {
			if flt.Match(k) != again.Match(k) {
				t.Fatalf("%q and its String() %q disagree on key %s", expr, flt.String(), k.ID)
			}
		}
	})
}

// The operator table is what the parser accepts: for every field, an operator FilterOperators
// offers parses, and one it leaves out is refused.
func TestFilterOperatorsAreWhatTheParserAccepts(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	sample := map[string]string{"role": "editor", "status": "active", "created": "2026-01-02", "expires": "30d"}
	all := []string{"=", "!=", "~", "!~", "<", "<=", ">", ">="}
	for _, field := range KeyFieldNames() {
		ops, ok := FilterOperators(strings.ToUpper(field))
		if !ok {
			t.Fatalf("FilterOperators(%q): unknown field", field)
		}
		offered := map[string]bool{}
		for _, o := range ops {
			offered[o.Symbol] = true
		}
		value := sample[field]
		if value == "" {
			value = "x"
		}
		for _, op := range all {
			_, err := ParseFilter(field+op+value, now)
			if (err == nil) != offered[op] {
				t.Errorf("%s%s%s: offered %v, parse error %v", field, op, value, offered[op], err)
			}
		}
	}
	var dates []string
	ops, _ := FilterOperators("expires")
	for _, o := range ops {
		dates = append(dates, o.Symbol+" "+o.Meaning)
	}
	want := []string{"= equals", "!= differs from", "< less than, before", "<= at most", "> greater than, after", ">= at least"}
	if !slices.Equal(dates, want) {
		t.Errorf("date operators: got %q, want %q", dates, want)
	}
	if ops, ok := FilterOperators("nosuch"); ok || ops != nil {
		t.Errorf("unknown field: got %v, %v", ops, ok)
	}
}
