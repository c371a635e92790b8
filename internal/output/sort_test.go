package output

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseSort(t *testing.T) {
	tests := []struct {
		spec string
		want []SortKey
	}{
		{"", nil},
		{" , ", nil},
		{"title", []SortKey{{"title", false}}},
		{"-expires,title", []SortKey{{"expires", true}, {"title", false}}},
		{"+Created, -STATUS", []SortKey{{"created", false}, {"status", true}}},
		{"- role", []SortKey{{"role", true}}},
	}
	for _, tt := range tests {
		got, err := ParseSort(tt.spec)
		if err != nil {
			t.Errorf("ParseSort(%q): %v", tt.spec, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseSort(%q) = %v, want %v", tt.spec, got, tt.want)
		}
	}

	if got := (SortKey{"expires", true}).String(); got != "-expires" {
		t.Errorf("SortKey.String() = %q", got)
	}

	errTests := []struct {
		spec      string
		fragments []string
	}{
		{"name", []string{`unknown sort key "name"`, "id, title, role, creator, email, created, expires, status"}},
		{"-expires,secret", []string{`unknown sort key "secret"`}},
		{"-", []string{`sort item "-" has no field name`}},
		{"title,+", []string{`sort item "+" has no field name`}},
	}
	for _, tt := range errTests {
		_, err := ParseSort(tt.spec)
		wantUsageError(t, err, tt.fragments...)
	}
}

func TestSortKeysEveryField(t *testing.T) {
	// See fixtureKeys for the values. Ties (role, status) fall back to the
	// default order: expires ascending, then title, then id.
	tests := []struct {
		spec string
		want string
	}{
		{"", "c3 b2 a1 D4"}, // default: expires ascending
		{"id", "a1 b2 c3 D4"},
		{"-id", "D4 c3 b2 a1"},
		{"title", "a1 b2 D4 c3"},
		{"-title", "c3 D4 b2 a1"},
		{"role", "b2 D4 c3 a1"},  // editors first, then by expires
		{"-role", "c3 a1 b2 D4"}, // viewers first, ties still by expires ascending
		{"creator", "c3 a1 b2 D4"},
		{"-creator", "D4 b2 a1 c3"},
		{"email", "D4 c3 a1 b2"}, // the empty email first
		{"-email", "b2 a1 c3 D4"},
		{"created", "D4 a1 b2 c3"},
		{"-created", "c3 b2 a1 D4"},
		{"expires", "c3 b2 a1 D4"},
		{"-expires", "D4 a1 b2 c3"},
		{"status", "a1 D4 b2 c3"},  // active < expiring < expired
		{"-status", "c3 b2 a1 D4"}, // expired first
		{"-role,title", "a1 c3 b2 D4"},
		{"role,-created", "b2 D4 c3 a1"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			by, err := ParseSort(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			keys := fixtureKeys()
			SortKeys(keys, by)
			if got := idsOf(keys); got != tt.want {
				t.Errorf("sort %q = %s, want %s", tt.spec, got, tt.want)
			}
		})
	}
}

func TestSortKeysTiesAndEdges(t *testing.T) {
	exp := testNow.Add(50 * day)
	t.Run("case-insensitive then case-sensitive", func(t *testing.T) {
		keys := []Key{{ID: "1", Title: "abc"}, {ID: "2", Title: "B"}, {ID: "3", Title: "ABC"}, {ID: "4", Title: "Abc"}, {ID: "5", Title: "a"}}
		SortKeys(keys, []SortKey{{Field: "title"}})
		if got := idsOf(keys); got != "5 3 4 1 2" {
			t.Errorf("got %s, want 5 3 4 1 2 (a, ABC, Abc, abc, B)", got)
		}
	})
	t.Run("non-ASCII titles fold too", func(t *testing.T) {
		keys := []Key{{ID: "1", Title: "Ébène"}, {ID: "2", Title: "éclair"}, {ID: "3", Title: "zèbre"}, {ID: "4", Title: "Zut"}}
		SortKeys(keys, []SortKey{{Field: "title"}})
		if got := idsOf(keys); got != "4 3 1 2" {
			t.Errorf("got %s, want 4 3 1 2 (zut < zèbre < ébène < éclair by lower-cased code points)", got)
		}
	})
	t.Run("equal on every criterion keeps the input order", func(t *testing.T) {
		keys := []Key{{ID: "x", Title: "t", Expires: exp, Creator: "2"}, {ID: "x", Title: "t", Expires: exp, Creator: "1"}}
		SortKeys(keys, nil)
		if keys[0].Creator != "2" {
			t.Error("SortKeys is not stable")
		}
	})
	t.Run("ties broken by the default order, not the input order", func(t *testing.T) {
		a := []Key{{ID: "2", Title: "t", Expires: exp}, {ID: "1", Title: "t", Expires: exp}}
		b := []Key{a[1], a[0]}
		SortKeys(a, []SortKey{{Field: "role"}})
		SortKeys(b, []SortKey{{Field: "role"}})
		if idsOf(a) != "1 2" || idsOf(b) != "1 2" {
			t.Errorf("got %s and %s, want 1 2 for both", idsOf(a), idsOf(b))
		}
	})
	t.Run("a key that never expires sorts last by expires", func(t *testing.T) {
		keys := []Key{{ID: "never"}, {ID: "late", Expires: testNow.Add(200 * year)}, {ID: "soon", Expires: testNow}}
		SortKeys(keys, nil)
		if got := idsOf(keys); got != "soon late never" {
			t.Errorf("got %s", got)
		}
		SortKeys(keys, []SortKey{{Field: "expires", Desc: true}})
		if got := idsOf(keys); got != "never late soon" {
			t.Errorf("descending: got %s", got)
		}
	})
	t.Run("unknown roles and statuses after known ones", func(t *testing.T) {
		keys := []Key{{ID: "o", Role: "ORG_ADMIN", Status: "weird"}, {ID: "v", Role: "ORG_VIEWER", Status: "expired"}, {ID: "e", Role: "editor", Status: "active"}}
		SortKeys(keys, []SortKey{{Field: "role"}})
		if got := idsOf(keys); got != "e v o" {
			t.Errorf("role: got %s", got)
		}
		SortKeys(keys, []SortKey{{Field: "status", Desc: true}})
		if got := idsOf(keys); got != "o v e" {
			t.Errorf("status desc: got %s", got)
		}
	})
	t.Run("dates compare as instants across zones", func(t *testing.T) {
		east := time.FixedZone("E", 9*3600)
		keys := []Key{
			{ID: "later", Created: time.Date(2026, 1, 2, 9, 0, 0, 0, east)}, // 00:00 UTC
			{ID: "earlier", Created: time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC)},
		}
		SortKeys(keys, []SortKey{{Field: "created"}})
		if got := idsOf(keys); got != "earlier later" {
			t.Errorf("got %s", got)
		}
	})
	t.Run("empty and nil input", func(t *testing.T) {
		SortKeys(nil, nil)
		SortKeys([]Key{}, []SortKey{{Field: "title"}})
	})
	t.Run("unknown field in a hand-built SortKey is ignored", func(t *testing.T) {
		keys := fixtureKeys()
		SortKeys(keys, []SortKey{{Field: "nope", Desc: true}})
		if got := idsOf(keys); got != "c3 b2 a1 D4" {
			t.Errorf("got %s", got)
		}
	})
}

func TestCompareFold(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"", "a", -1},
		{"ABC", "abc", 0},
		{"abc", "abd", -1},
		{"Abd", "abc", 1},
		{"ab", "abc", -1},
		{"ÉTÉ", "été", 0},
		{"é", "f", 1},
		{"a\xffb", "A\xffB", 0}, // invalid UTF-8 does not panic
	}
	for _, tt := range tests {
		if got := compareFold(tt.a, tt.b); got != tt.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	containsTests := []struct {
		s, sub string
		want   bool
	}{
		{"Production Key", "key", true},
		{"Production Key", "", true},
		{"abc", "abcd", false},
		{"ÉTÉ 2026", "été", true},
		{"ÉTÉ 2026", "hiver", false},
	}
	for _, tt := range containsTests {
		if got := containsFold(tt.s, tt.sub); got != tt.want {
			t.Errorf("containsFold(%q, %q) = %v", tt.s, tt.sub, got)
		}
	}
}

// stableSortKeys is the plain version of SortKeys: slices.SortStableFunc over the keys
// themselves, with the same criteria. TestSortKeysMatchesStableSort checks that the two
// agree, and BenchmarkSortKeys times both.
func stableSortKeys(keys []Key, by []SortKey) {
	type criterion struct {
		id   fieldID
		desc bool
	}
	var crit []criterion
	for _, s := range append(slices.Clone(by), SortKey{Field: "expires"}, SortKey{Field: "title"}, SortKey{Field: "id"}) {
		if id, ok := lookupField(s.Field); ok {
			crit = append(crit, criterion{id, s.Desc})
		}
	}
	slices.SortStableFunc(keys, func(a, b Key) int {
		for _, c := range crit {
			if r := compareField(c.id, &a, &b); r != 0 {
				if c.desc {
					return -r
				}
				return r
			}
		}
		return 0
	})
}

// TestSortKeysMatchesStableSort compares SortKeys (pointer sort plus an
// in-place permutation) with a plain stable sort over the same criteria, on
// many keys with many ties.
func TestSortKeysMatchesStableSort(t *testing.T) {
	keys := benchKeys(3000)
	for i := range keys {
		keys[i].ID = keys[i].ID[:1] // many equal ids, so stability matters
		keys[i].Expires = keys[i].Expires.Truncate(30 * day)
	}
	for _, spec := range []string{"", "role", "-status,creator", "title,-created", "id"} {
		by, err := ParseSort(spec)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(keys)
		SortKeys(got, by)

		want := slices.Clone(keys)
		stableSortKeys(want, by)
		if !slices.Equal(got, want) {
			t.Errorf("sort %q differs from a stable sort", spec)
		}
	}
}

// TestSortKeysTiesKeepInputOrder sorts many keys that are equal on every criterion in
// groups (same id, title and expiry; only the creator, which records the input position,
// differs), and checks that each group comes out in input order, whatever the sort.
func TestSortKeysTiesKeepInputOrder(t *testing.T) {
	exp := testNow.Add(50 * day)
	var keys []Key
	for i := range 600 {
		g := (i * 7) % 12 // 12 groups of 50, interleaved in the input
		keys = append(keys, Key{
			ID:      string(rune('a' + g%3)),
			Title:   []string{"Prod", "prod", "CI", "Été"}[g/3],
			Role:    []string{RoleEditor, RoleViewer}[g%2],
			Expires: exp.Add(time.Duration(g%3) * day),
			Creator: fmt.Sprintf("%04d", i),
		})
	}
	for _, spec := range []string{"", "-expires", "title", "-role,-title", "-id"} {
		by, err := ParseSort(spec)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(keys)
		SortKeys(got, by)
		for i := 1; i < len(got); i++ {
			a, b := got[i-1], got[i]
			sameGroup := a.ID == b.ID && a.Title == b.Title && a.Role == b.Role && a.Expires.Equal(b.Expires)
			if sameGroup && a.Creator >= b.Creator {
				t.Fatalf("sort %q: tied keys out of input order at %d: input positions %s then %s", spec, i, a.Creator, b.Creator)
			}
		}
		if seen := len(slices.CompactFunc(slices.SortedFunc(slices.Values(got), func(a, b Key) int { return strings.Compare(a.Creator, b.Creator) }), func(a, b Key) bool { return a.Creator == b.Creator })); seen != len(keys) {
			t.Fatalf("sort %q: %d distinct keys out of %d", spec, seen, len(keys))
		}
	}
}

// TestSortKeysCompactValuesMatchStableSort: the precomputed values (dates, ranks, folded
// text prefixes of two words) order keys as the comparison of the fields does, for texts
// whose case folding is not ASCII's (the Kelvin sign folds to k), that share long prefixes,
// hold NUL bytes or end where another goes on, in either word, in both directions.
func TestSortKeysCompactValuesMatchStableSort(t *testing.T) {
	texts := []string{"", "a", "A", "ab", "aB", "abc", "a\x00", "a\x00b", "abcdefgh", "ABCDEFGH", "abcdefghi",
		"abcdefgH", "abcdefg", "\u212a", "k", "K", "ka", "é", "É", "e", "z", "Zz", "#12", "#2", "title 10", "Title 9",
		"İx", "ix", "ß", "ss", "\xff", "abcdefgh\u212a", "abcdefghk",
		// The second 8 bytes: after equal first ones, long, short, folded, not ASCII.
		"abcdefghijklmnop", "ABCDEFGHijklmnoP", "abcdefghijklmnopq", "abcdefghijklmno", "abcdefghijklmn\u212a",
		"abcdefghijklmnk", "abcdefgh\x00", "abcdefghé", "abcdefghÉ", "Webhook relay #12", "webhook relay #2", "Webhook relay #1"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var keys []Key
	for i := range 4 * len(texts) {
		keys = append(keys, sortTestKey(texts, base, i))
	}
	checkSortMatchesStableSort(t, keys)
}

// TestSortKeysInPartsMatchesStableSort is the same on lists long enough to be sorted in
// parts at once (sortParts), with 1 to 5 parts.
func TestSortKeysInPartsMatchesStableSort(t *testing.T) {
	texts := []string{"", "a", "A", "ab", "Webhook relay #1", "webhook relay #2", "Webhook relay #10", "É", "\u212a", "k", "z"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var keys []Key
	for i := range 3*parallelSortFrom + 17 {
		k := sortTestKey(texts, base, i*7919%(3*parallelSortFrom+17))
		k.Title += strconv.Itoa(i % 97)
		keys = append(keys, k)
	}
	if sortParts(len(keys)) < 2 && runtime.GOMAXPROCS(0) > 1 {
		t.Fatalf("%d keys are sorted in %d part", len(keys), sortParts(len(keys)))
	}
	for _, spec := range []string{"-expires", "title", "-title,id", "role,-created"} {
		by, err := ParseSort(spec)
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(keys)
		stableSortKeys(want, by)
		for _, parts := range []int{2, 3, 4} {
			func() {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(parts))
				got := slices.Clone(keys)
				SortKeys(got, by)
				if !slices.Equal(got, want) {
					t.Errorf("sort %q in %d parts differs from a stable sort", spec, parts)
				}
			}()
		}
	}
}

func sortTestKey(texts []string, base time.Time, i int) Key {
	return Key{
		ID: texts[(i*5)%len(texts)], Title: texts[i%len(texts)], Creator: texts[(i*3)%len(texts)],
		Email: texts[(i*7)%len(texts)], Role: []string{"editor", "viewer", "EDITOR", ""}[i%4],
		Status:  []string{StatusActive, StatusExpired, "Expired", StatusExpiring}[i%4],
		Expires: base.Add(time.Duration(i%5) * time.Hour), Created: base.Add(time.Duration(i%3) * time.Nanosecond),
	}
}

func checkSortMatchesStableSort(t *testing.T, keys []Key) {
	t.Helper()
	for _, spec := range []string{"", "-expires", "title", "-title", "creator,-title", "-email", "role,title", "-status,id", "created,-creator", "-created,title"} {
		by, err := ParseSort(spec)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(keys)
		SortKeys(got, by)
		want := slices.Clone(keys)
		stableSortKeys(want, by)
		if !slices.Equal(got, want) {
			t.Errorf("sort %q differs from a stable sort", spec)
		}
	}
}

// A date first sorts by the date, then each run of one date by the rest, the runs shared out
// among goroutines at run boundaries: runs of every length, one run of the whole list, and
// runs that straddle where the list would be cut into parts, all in 1 to 5 parts, give what
// a stable sort gives.
func TestSortKeysRunsOfOneDateMatchStableSort(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 3*parallelSortFrom + 5
	for _, runLen := range []int{1, 2, 7, parallelSortFrom/2 + 3, n} {
		var keys []Key
		for i := range n {
			j := i * 7919 % n // the sandbox's order: dates not in order
			keys = append(keys, Key{
				ID:      fmt.Sprintf("id-%05d", j%(n/2)), // IDs tie too: position decides
				Title:   []string{"Webhook relay #", "webhook relay #", "Batch loader #", "É", ""}[j%5] + strconv.Itoa(j%13),
				Expires: base.AddDate(0, 0, j/runLen),
				Created: base.Add(time.Duration(j%3) * time.Hour),
			})
		}
		for _, spec := range []string{"-expires", "expires,-title", "created", "-created,id"} {
			by, err := ParseSort(spec)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(keys)
			stableSortKeys(want, by)
			for _, parts := range []int{1, 2, 3, 5} {
				func() {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(parts))
					got := slices.Clone(keys)
					SortKeys(got, by)
					if !slices.Equal(got, want) {
						t.Errorf("runs of %d, sort %q in %d parts differs from a stable sort", runLen, spec, parts)
					}
				}()
			}
		}
	}
}

// TestFoldedPrefixFoldsEachByte: the words foldedPrefix folds eight bytes at a time are the
// bytes lowerASCII folds one at a time, for every ASCII byte at every place, and no word is
// given from a byte that is not ASCII on.
func TestFoldedPrefixFoldsEachByte(t *testing.T) {
	bytewise := func(s string) (p [2]uint64, words int8) {
		for w := range p {
			for i := 8 * w; i < 8*w+8; i++ {
				var c byte
				if i < len(s) {
					if s[i] >= utf8.RuneSelf {
						return p, words
					}
					c = byte(lowerASCII(rune(s[i])))
				}
				p[w] = p[w]<<8 | uint64(c)
			}
			words++
		}
		return p, words
	}
	var texts []string
	for c := range 256 {
		for at := range 17 {
			b := []byte("mIxEd CaSe@[`{Z!")[:at]
			texts = append(texts, string(append(b, byte(c))), string(append(append(b, byte(c)), "tail"...)))
		}
	}
	for _, s := range texts {
		gotP, gotN := foldedPrefix(s)
		wantP, wantN := bytewise(s)
		if gotN != wantN || !slices.Equal(gotP[:gotN], wantP[:wantN]) {
			t.Fatalf("foldedPrefix(%q) = %x (%d words), want %x (%d)", s, gotP, gotN, wantP, wantN)
		}
	}
}
