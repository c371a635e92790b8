package cli

import (
	"context"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// fakeAPI is the organization's API as the run functions consume it (keyLister,
// keyPageLister, keyGetter, memberLister, keyCreator), in memory, recording what was asked of
// it.
type fakeAPI struct {
	keys    []jmapcloud.APIKey
	members []jmapcloud.Member
	// getErr, when set, is every GetKey's answer.
	getErr error
	// created, when set, alters the key CreateKey answers.
	created func(*jmapcloud.APIKey)
	// secret is what CreateKey gives the new key.
	secret string

	lists       int
	gets        []string
	creates     []jmapcloud.CreateAPIKeyRequest
	memberLists int
}

func (a *fakeAPI) ListKeys(context.Context) ([]jmapcloud.APIKey, error) {
	a.lists++
	return append([]jmapcloud.APIKey(nil), a.keys...), nil
}

// ListKeyPages gives the keys to read in pages of fakePageSize, as the client would.
func (a *fakeAPI) ListKeyPages(ctx context.Context, read func(jmapcloud.KeyPage)) (int, error) {
	keys, err := a.ListKeys(ctx)
	if err != nil {
		return 0, err
	}
	return givePages(keys, fakePageSize, read), nil
}

// fakePageSize is the fake's page size: small, so that the fakes' lists come in several pages.
const fakePageSize = 2

// givePages gives keys to read in pages of size keys, each a copy (the client's arrays are its
// own), and returns how many there were; one empty page for no key, as a server answers.
func givePages(keys []jmapcloud.APIKey, size int, read func(jmapcloud.KeyPage)) int {
	pages := 0
	for start := 0; start < len(keys) || pages == 0; start += size {
		page := append([]jmapcloud.APIKey(nil), keys[start:min(start+size, len(keys))]...)
		read(jmapcloud.KeyPage{Index: pages, Keys: page, Total: len(keys)})
		pages++
	}
	return pages
}

func (a *fakeAPI) GetKey(_ context.Context, id string) (jmapcloud.APIKey, error) {
	a.gets = append(a.gets, id)
	if a.getErr != nil {
		return jmapcloud.APIKey{}, a.getErr
	}
	for _, k := range a.keys {
		if strings.EqualFold(k.ID, id) {
			return k, nil
		}
	}
	return jmapcloud.APIKey{}, &jmapcloud.APIError{Method: "GET", Path: "/api-keys/" + id, StatusCode: 404, Message: "not found"}
}

func (a *fakeAPI) Members(context.Context) ([]jmapcloud.Member, error) {
	a.memberLists++
	return append([]jmapcloud.Member(nil), a.members...), nil
}

func (a *fakeAPI) CreateKey(_ context.Context, req jmapcloud.CreateAPIKeyRequest) (jmapcloud.APIKey, error) {
	a.creates = append(a.creates, req)
	k := jmapcloud.APIKey{ID: "k-new", Title: req.Title, Role: req.Role, ExpirationDate: req.ExpirationDate,
		CreationDate: fakeNow, Secret: a.secret}
	if a.created != nil {
		a.created(&k) // a server that creates something else than asked
	}
	return k, nil
}

// fakeNow is the fixed clock of the run tests.
var fakeNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// opener counts how often a run opened its API: a refused input must not open it.
type opener struct{ opened int }

func openFake[T any](o *opener, api T) func(context.Context) (T, error) {
	return func(context.Context) (T, error) {
		o.opened++
		return api, nil
	}
}

func fixedFormat(fmtKind output.Format) func() (output.Format, error) {
	return func() (output.Format, error) { return fmtKind, nil }
}

// fakeKeys are three keys: one active, one expiring within 30 days of fakeNow, one expired.
func fakeKeys() []jmapcloud.APIKey {
	day := 24 * time.Hour
	return []jmapcloud.APIKey{
		{ID: "11111111-1111-4111-8111-111111111111", Title: "CI deploy", Role: jmapcloud.RoleEditor, Email: "ci@keys.example",
			CreatedBy: "Oscar Ops", CreationDate: fakeNow.Add(-100 * day), ExpirationDate: fakeNow.Add(200 * day)},
		{ID: "22222222-2222-4222-8222-222222222222", Title: "QGIS plugin", Role: jmapcloud.RoleViewer, Email: "qgis@keys.example",
			CreatedBy: "Erin Editor", CreationDate: fakeNow.Add(-50 * day), ExpirationDate: fakeNow.Add(10 * day)},
		{ID: "33333333-3333-4333-8333-333333333333", Title: "old export", Role: jmapcloud.RoleViewer, Email: "",
			CreatedBy: "Oscar Ops", CreationDate: fakeNow.Add(-400 * day), ExpirationDate: fakeNow.Add(-5 * day)},
	}
}
