package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseFaultKinds(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"", nil, ""},
		{"500,429", []string{"500", "429"}, ""},
		{" reset , SLOW,500,reset,", []string{"reset", "slow", "500"}, ""},
		{"500,404", nil, `unknown fault kind "404" (valid kinds: 500, 503, 429, reset, slow, truncate, garbage)`},
		{"timeout", nil, `unknown fault kind "timeout"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFaultKinds(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestFaultDrawIsReproducible(t *testing.T) {
	draws := func(seed int64) []string {
		sb, err := Open(Options{Path: filepath.Join(t.TempDir(), "f.db"), Faults: Faults{Rate: 0.5, Seed: seed}})
		if err != nil {
			t.Fatal(err)
		}
		defer sb.Close()
		out := make([]string, 400)
		for i := range out {
			out[i] = sb.drawFault()
		}
		return out
	}
	a, b, c := draws(7), draws(7), draws(8)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed drew different faults")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds drew the same faults")
	}
	seen := map[string]int{}
	for _, k := range a {
		seen[k]++
	}
	for _, k := range faultKinds {
		if seen[k] == 0 {
			t.Errorf("kind %s never drawn with all kinds enabled: %v", k, seen)
		}
	}
	if none := seen[""]; none < 120 || none > 280 {
		t.Errorf("%d of 400 requests without a fault at rate 0.5", none)
	}
}

// faultEnv logs the admin in on a fault-free sandbox, then reopens the same file with
// every request getting the given fault; the session survives the reopen.
func faultEnv(t *testing.T, kind string, slow time.Duration) (*env, auth) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sandbox.db")
	clean := newEnv(t, Options{Path: path})
	admin := clean.adminAuth()
	clean.srv.Close()
	if err := clean.sb.Close(); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Options{Path: path, Faults: Faults{Rate: 1, Kinds: []string{kind}, SlowDelay: slow}})
	return e, admin
}

func TestFaults(t *testing.T) {
	createBody := map[string]string{"title": "fault test", "role": roleViewer, "expirationDate": "2026-01-01"}
	tests := []struct {
		kind       string
		slow       time.Duration
		timeout    time.Duration
		method     string
		deleteKey  bool
		wantStatus int    // 0: a transport or body-read error is expected
		wantErr    string // in that error
		wantEffect bool   // the request took effect
		check      func(t *testing.T, r result)
	}{
		{kind: "500", wantStatus: 500},
		{kind: "503", wantStatus: 503},
		{kind: "429", wantStatus: 429, check: func(t *testing.T, r result) {
			if r.header.Get("Retry-After") != "1" {
				t.Errorf("Retry-After %q, want 1", r.header.Get("Retry-After"))
			}
		}},
		{kind: "reset", wantErr: "connection reset"},
		{kind: "reset", deleteKey: true, wantErr: "connection reset"},
		{kind: "slow", slow: 3 * time.Second, timeout: 200 * time.Millisecond, wantErr: "Timeout"},
		{kind: "slow", slow: 100 * time.Millisecond, wantStatus: 201, wantEffect: true},
		{kind: "truncate", wantErr: "unexpected EOF", wantEffect: true},
		{kind: "truncate", deleteKey: true, wantErr: "connection reset", wantEffect: true},
		{kind: "garbage", wantStatus: 200, wantEffect: true, check: func(t *testing.T, r result) {
			if json.Valid(r.body) || r.header.Get("Content-Type") != "application/json" {
				t.Errorf("garbage is valid JSON or not labelled JSON: %s", r.body)
			}
		}},
		{kind: "garbage", deleteKey: true, wantStatus: 200, wantEffect: true},
	}
	for _, tt := range tests {
		name := tt.kind + " on create"
		if tt.deleteKey {
			name = tt.kind + " on delete"
		}
		t.Run(name, func(t *testing.T) {
			e, admin := faultEnv(t, tt.kind, tt.slow)
			if tt.timeout > 0 {
				e.client.Timeout = tt.timeout
			}
			before := e.keyCount()
			start := time.Now()
			var r result
			var err error
			if tt.deleteKey {
				r, err = e.try("DELETE", keyPath(seedKeys[0].id), admin, nil)
			} else {
				r, err = e.try("POST", keysPath(), admin, createBody)
			}
			switch {
			case tt.wantStatus == 0 && err == nil:
				t.Fatalf("no error: %d %s", r.status, r.body)
			case tt.wantStatus == 0 && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			case tt.wantStatus != 0 && err != nil:
				t.Fatalf("error %v, want status %d", err, tt.wantStatus)
			case tt.wantStatus != 0 && r.status != tt.wantStatus:
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if tt.wantStatus >= 400 && !strings.Contains(r.message(t), "injected fault") {
				t.Errorf("error body %s", r.body)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
			if tt.kind == "slow" && tt.wantStatus != 0 && time.Since(start) < tt.slow {
				t.Errorf("answered after %v, before the %v delay", time.Since(start), tt.slow)
			}

			// The sandbox-only endpoints are never faulted.
			var served Stats
			e.do("GET", "/_sandbox/stats", noAuth, nil).json(t, &served)
			if served.FaultsInjected != 1 {
				t.Errorf("/_sandbox/stats = %+v", served)
			}

			// Close waits for every handler, so a late effect (a slow request that went on
			// after its client gave up) would show below.
			e.srv.Close()
			effect := e.keyCount() != before
			if effect != tt.wantEffect {
				t.Errorf("request took effect: %v, want %v", effect, tt.wantEffect)
			}
			st := e.sb.Stats()
			if st.FaultsInjected != 1 || st.FaultsByKind[tt.kind] != 1 || st.Requests != 1 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestTruncateAnnouncesFullLength(t *testing.T) {
	e, admin := faultEnv(t, "truncate", 0)
	req, err := http.NewRequest("GET", e.srv.URL+keysPath(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(admin.name, admin.value)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(data)) != resp.ContentLength/2 {
		t.Errorf("status %d, read %d of %d bytes, error %v", resp.StatusCode, len(data), resp.ContentLength, err)
	}
}
