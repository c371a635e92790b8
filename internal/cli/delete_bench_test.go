package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
)

// clientKeys is the organization-scoped API over a bare client, as a session gives it.
type clientKeys struct {
	c   *jmapcloud.Client
	org string
}

func (a clientKeys) ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error) {
	return a.c.ListAPIKeys(ctx, a.org)
}
func (a clientKeys) GetKey(ctx context.Context, id string) (jmapcloud.APIKey, error) {
	return a.c.GetAPIKey(ctx, a.org, id)
}
func (a clientKeys) KeyResources(ctx context.Context, id string) ([]jmapcloud.Resource, error) {
	return a.c.APIKeyResources(ctx, a.org, id)
}
func (a clientKeys) DeleteKey(ctx context.Context, id, transferTo string) error {
	return a.c.DeleteAPIKey(ctx, a.org, id, transferTo)
}
func (a clientKeys) Members(ctx context.Context) ([]jmapcloud.Member, error) {
	return a.c.Members(ctx, a.org)
}

const benchOrg = "0b6f9c1e-4d2a-4f8e-9a51-3c7d2e8f1a90"

// preparedKeyServer answers on loopback as a stateless organization of n keys owning
// nothing: the list as one array prepared in advance, a key by ID, its (empty) resources,
// and 204 to every delete. It counts the bytes it sends.
func preparedKeyServer(b *testing.B, n int) (api clientKeys, keyID string, sent *atomic.Int64) {
	keys := benchAPIKeys(n)
	wire := make([]map[string]string, len(keys))
	byID := map[string][]byte{}
	for i, k := range keys {
		wire[i] = map[string]string{
			"id": k.ID, "title": k.Title, "role": k.Role, "email": k.Email, "createdBy": k.CreatedBy,
			"creationDate":   k.CreationDate.Format("2006-01-02T15:04:05.000Z07:00"),
			"expirationDate": k.ExpirationDate.Format("2006-01-02T15:04:05.000Z07:00"),
		}
		byID[k.ID], _ = json.Marshal(wire[i])
	}
	list, err := json.Marshal(wire)
	if err != nil {
		b.Fatal(err)
	}
	sent = &atomic.Int64{}
	prefix := "/api/ss/rest/v1/organizations/" + benchOrg + "/api-keys"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, prefix)
		var body []byte
		switch {
		case !ok:
			http.NotFound(w, r)
			return
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
			return
		case rest == "":
			body = list
		case strings.HasSuffix(rest, "/resources"):
			body = []byte("[]")
		default:
			if body = byID[strings.TrimPrefix(rest, "/")]; body == nil {
				http.NotFound(w, r)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		n, _ := w.Write(body)
		sent.Add(int64(n))
	}))
	b.Cleanup(srv.Close)
	c, err := jmapcloud.New(jmapcloud.Options{BaseURL: srv.URL, Tokens: jmapcloud.StaticToken("bench-token")})
	if err != nil {
		b.Fatal(err)
	}
	return clientKeys{c: c, org: benchOrg}, keys[n/2].ID, sent
}

// benchOptions are the streams (discarding), clock and format (-o json) of the benchmarks.
func benchOptions() (*iostreams.IOStreams, func() time.Time, func() (output.Format, error)) {
	streams, _, _, _ := iostreams.Test()
	streams.Out, streams.ErrOut = io.Discard, io.Discard
	return streams, func() time.Time { return listBenchNow }, func() (output.Format, error) { return output.JSON, nil }
}

// BenchmarkDeleteByID100k times `apikeys delete ID --yes -o json` in an organization of
// 100,000 keys, from the session to the result printed; resp-B/op is what the server sent.
func BenchmarkDeleteByID100k(b *testing.B) {
	api, id, sent := preparedKeyServer(b, 100_000)
	streams, now, format := benchOptions()
	opts := &deleteOptions{
		IO: streams, Now: now, Format: format, Refs: []string{id}, Yes: true,
		API: func(context.Context) (keyDeleter, error) { return api, nil },
	}
	sent.Store(0)
	for b.Loop() {
		if err := runDelete(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sent.Load())/float64(b.N), "resp-B/op")
}

// BenchmarkShowByID100k times `apikeys show ID -o json` in the same organization.
func BenchmarkShowByID100k(b *testing.B) {
	api, id, sent := preparedKeyServer(b, 100_000)
	streams, now, format := benchOptions()
	opts := &showOptions{
		IO: streams, Now: now, Format: format, Ref: id,
		Keys: func(context.Context) (keyGetter, error) { return api, nil },
	}
	sent.Store(0)
	for b.Loop() {
		if err := runShow(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sent.Load())/float64(b.N), "resp-B/op")
}

// BenchmarkRawDelete100k is the floor the two above are measured against: one DELETE.
func BenchmarkRawDelete100k(b *testing.B) {
	api, id, _ := preparedKeyServer(b, 100_000)
	for b.Loop() {
		if err := api.DeleteKey(context.Background(), id, ""); err != nil {
			b.Fatal(err)
		}
	}
}
