package envbool

import "testing"

func TestParse(t *testing.T) {
	cases := []struct {
		in            string
		b, set, valid bool
	}{
		{"", false, false, true},
		{"   ", false, false, true},
		{"1", true, true, true},
		{"0", false, true, true},
		{"true", true, true, true},
		{"FALSE", false, true, true},
		{"Yes", true, true, true},
		{"no", false, true, true},
		{" on ", true, true, true},
		{"OFF", false, true, true},
		{"y", true, true, true},
		{"N", false, true, true},
		{"t", true, true, true},
		{"f", false, true, true},
		{"maybe", false, true, false},
		{"yse", false, true, false},
		{"2", false, true, false},
		{"-1", false, true, false},
		{"enabled", false, true, false},
	}
	for _, c := range cases {
		b, set, ok := Parse(c.in)
		if b != c.b || set != c.set || ok != c.valid {
			t.Errorf("Parse(%q) = %v, %v, %v; want %v, %v, %v", c.in, b, set, ok, c.b, c.set, c.valid)
		}
	}
}

func TestLookupNamesTheVariable(t *testing.T) {
	env := map[string]string{"APIKEYS_DEBUG": "maybe", "APIKEYS_SANDBOX": "YES"}
	getenv := func(k string) string { return env[k] }
	if b, err := Lookup(getenv, "APIKEYS_SANDBOX"); err != nil || !b {
		t.Errorf("APIKEYS_SANDBOX=YES: %v, %v", b, err)
	}
	_, err := Lookup(getenv, "APIKEYS_DEBUG")
	want := `invalid APIKEYS_DEBUG="maybe": use 1/0, true/false, yes/no, on/off or y/n (any case), or leave it empty`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
