package output

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// testNow anchors every test: relative dates and statuses are computed from it.
var testNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// fixtureKeys returns four keys whose fields order differently for every
// field, so a sort or filter on one field cannot pass by accident of another.
// Their order here is b2, a1, c3, D4.
//
//	id  title  role    creator  email       created            expires   status
//	b2  beta   editor  Carol    carol@x.io  2025-06-01 00:00   now+10d   expiring
//	a1  Alpha  viewer  bob      Bob@x.io    2025-01-15 08:00   now+100d  active
//	c3  gamma  viewer  alice    alice@x.io  now-2d             now-5d    expired
//	D4  Delta  editor  Dave     (none)      2024-11-30 23:30   now+400d  active
func fixtureKeys() []Key {
	keys := []Key{
		{ID: "b2", Title: "beta", Role: "editor", Creator: "Carol", Email: "carol@x.io",
			Created: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Expires: testNow.Add(10 * day)},
		{ID: "a1", Title: "Alpha", Role: "viewer", Creator: "bob", Email: "Bob@x.io",
			Created: time.Date(2025, 1, 15, 8, 0, 0, 0, time.UTC), Expires: testNow.Add(100 * day)},
		{ID: "c3", Title: "gamma", Role: "viewer", Creator: "alice", Email: "alice@x.io",
			Created: testNow.Add(-2 * day), Expires: testNow.Add(-5 * day)},
		{ID: "D4", Title: "Delta", Role: "editor", Creator: "Dave", Email: "",
			Created: time.Date(2024, 11, 30, 23, 30, 0, 0, time.UTC), Expires: testNow.Add(400 * day)},
	}
	for i := range keys {
		keys[i].Status = KeyStatus(keys[i].Expires, testNow)
	}
	return keys
}

func idsOf(keys []Key) string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	return strings.Join(ids, " ")
}

// wantUsageError fails unless err is a *UsageError whose message contains
// every fragment.
func wantUsageError(t *testing.T, err error, fragments ...string) {
	t.Helper()
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("error = %v (%T), want a *UsageError", err, err)
	}
	for _, f := range fragments {
		if !strings.Contains(ue.Error(), f) {
			t.Errorf("error %q does not contain %q", ue.Error(), f)
		}
	}
	if msg := ue.Error(); msg != "" && strings.ToLower(msg[:1]) != msg[:1] {
		t.Errorf("error %q should start in lower case", msg)
	}
}
