package sandbox

import (
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Password is the one password of every seeded login; the sandbox is a demo, and a single
// documented password lets scripts and tests log in as any role.
const Password = "sandbox-password"

// AdminEmail is the seeded ORG_ADMIN login, the one `--sandbox` runs as.
const AdminEmail = "admin@acme.example"

// defaultTokenTTL is the access-token lifetime when Options.TokenTTL is zero.
const defaultTokenTTL = time.Hour

// refreshTokenTTL is how long an unspent refresh token stays valid.
const refreshTokenTTL = 30 * 24 * time.Hour

// defaultSlowDelay is the "slow" fault's delay when Faults.SlowDelay is zero: longer than a
// client's usual timeout, so the client has to give up.
const defaultSlowDelay = 30 * time.Second

// openTimeout bounds the wait for bbolt's file lock, so a second process fails fast.
const openTimeout = time.Second

// Options configures Open.
type Options struct {
	Path     string           // bbolt file; parent dirs created (0700), file mode 0600; "" → DefaultDataPath
	TokenTTL time.Duration    // access-token lifetime; 0 → 1h
	Faults   Faults           // fault injection, zero value = none
	Now      func() time.Time // nil → time.Now (for tests)
}

// Faults configures fault injection; the zero value injects nothing. The package
// documentation says which kinds strike before and which after a request takes effect.
type Faults struct {
	Rate      float64       // 0..1 probability a request gets a fault
	Kinds     []string      // subset of "500","503","429","reset","slow","truncate","garbage"; empty = all
	Seed      int64         // seeds the draw, so a sequential run is reproducible
	SlowDelay time.Duration // for "slow"; 0 → 30s (beyond a client's timeout)
}

// faultKinds lists the valid fault kinds in their documented order.
var faultKinds = []string{"500", "503", "429", "reset", "slow", "truncate", "garbage"}

// ParseFaultKinds turns a comma-separated list such as "500,429" into validated kinds, so
// the CLI can reject a typo before serving. An empty list means every kind and returns nil.
func ParseFaultKinds(list string) ([]string, error) {
	var kinds []string
	seen := map[string]bool{}
	for _, part := range strings.Split(list, ",") {
		k := strings.ToLower(strings.TrimSpace(part))
		if k == "" {
			continue
		}
		if !validFaultKind(k) {
			return nil, &UnknownFaultKindError{Kind: k}
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	return kinds, nil
}

// UnknownFaultKindError is a fault kind the sandbox cannot inject. Its message is the
// emulator's, in English; the CLI, which reads Kind and FaultKinds, says it in the user's
// language.
type UnknownFaultKindError struct{ Kind string }

func (e *UnknownFaultKindError) Error() string {
	return fmt.Sprintf("unknown fault kind %q (valid kinds: %s)", e.Kind, strings.Join(faultKinds, ", "))
}

// FaultKinds are the valid fault kinds, in their documented order.
func FaultKinds() []string { return append([]string(nil), faultKinds...) }

func validFaultKind(k string) bool {
	for _, v := range faultKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Info describes the seeded organization and its logins, for `apikeys sandbox info`.
type Info struct {
	OrganizationID   string  `json:"organizationId"`
	OrganizationName string  `json:"organizationName"`
	Password         string  `json:"password"`
	Logins           []Login `json:"logins"`
	DataPath         string  `json:"dataPath"`
}

// Login is one seeded user and the roles it holds in the organization (none for the user
// who belongs to no organization).
type Login struct {
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

// Resource is one data source, project, layer or table, with its owner: a member or an API
// key. It lets a demo or a test see where a deleted key's resources went.
type Resource struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Name      string `json:"name"`
	OwnerKind string `json:"ownerKind"` // "member" | "apikey"
	OwnerID   string `json:"ownerId"`
	OwnerName string `json:"ownerName"` // the member's name or the key's title, for people reading
}

// Stats counts what happened since Open; tests and demos read it (also at GET
// /_sandbox/stats) to check, for instance, that a client never presents a spent refresh
// token. Requests and Responses do not count /_sandbox/ calls.
type Stats struct {
	Requests             int64            `json:"requests"`
	FaultsInjected       int64            `json:"faultsInjected"`
	FaultsByKind         map[string]int64 `json:"faultsByKind"`
	RefreshTokenReuse    int64            `json:"refreshTokenReuse"` // a spent refresh token presented again
	Logins               int64            `json:"logins"`
	LoginFailures        int64            `json:"loginFailures"`
	Refreshes            int64            `json:"refreshes"`
	Revocations          int64            `json:"revocations"`
	KeysCreated          int64            `json:"keysCreated"`
	KeysDeleted          int64            `json:"keysDeleted"`
	ResourcesTransferred int64            `json:"resourcesTransferred"`
	ResourcesDeleted     int64            `json:"resourcesDeleted"`
	Responses            map[string]int64 `json:"responses"` // by HTTP status sent, e.g. "200"
}

// Sandbox is an open sandbox: a bbolt store plus the HTTP handler that serves it.
type Sandbox struct {
	db       *bolt.DB
	path     string
	tokenTTL time.Duration
	clock    func() time.Time
	faults   Faults
	handler  http.Handler

	faultMu sync.Mutex
	rng     *rand.Rand

	statsMu sync.Mutex
	stats   Stats

	keyIndex keyIndex // where each page of an organization's api-keys list starts
}

// DefaultDataPath is where the sandbox keeps its data when no path is given: the XDG state
// directory, because the data is state that should survive but is not configuration.
func DefaultDataPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "apikeys", "sandbox.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("locating the sandbox data file: %w", err)
	}
	return filepath.Join(home, ".local", "state", "apikeys", "sandbox.db"), nil
}

// Open opens (creating and seeding it when empty) the sandbox data file. Only one process
// can hold the file: Open fails after about a second when another one does.
func Open(opts Options) (*Sandbox, error) {
	if opts.Faults.Rate < 0 || opts.Faults.Rate > 1 {
		return nil, fmt.Errorf("fault rate %v is out of range: it must be between 0 and 1", opts.Faults.Rate)
	}
	for _, k := range opts.Faults.Kinds {
		if !validFaultKind(k) {
			return nil, &UnknownFaultKindError{Kind: k}
		}
	}
	if opts.TokenTTL < 0 {
		return nil, fmt.Errorf("token lifetime %v is negative", opts.TokenTTL)
	}
	path, err := ResolveDataPath(opts.Path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating the sandbox data directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: openTimeout})
	if err != nil {
		switch {
		case errors.Is(err, bolterrors.ErrTimeout):
			return nil, fmt.Errorf("sandbox data file %s is in use by another process (a running `apikeys sandbox serve`?): stop it, or pass --data with another file", path)
		case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrChecksum):
			return nil, fmt.Errorf("%s is not a sandbox data file: %w", path, err)
		}
		return nil, fmt.Errorf("opening sandbox data file %s: %w", path, err)
	}

	s := &Sandbox{
		db:       db,
		path:     path,
		tokenTTL: opts.TokenTTL,
		clock:    opts.Now,
		faults:   opts.Faults,
		rng:      rand.New(rand.NewSource(opts.Faults.Seed)),
	}
	if s.tokenTTL == 0 {
		s.tokenTTL = defaultTokenTTL
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if len(s.faults.Kinds) == 0 {
		s.faults.Kinds = faultKinds
	}
	if s.faults.SlowDelay <= 0 {
		s.faults.SlowDelay = defaultSlowDelay
	}
	s.stats = Stats{FaultsByKind: map[string]int64{}, Responses: map[string]int64{}}

	seeded, err := s.checkFormat()
	if err != nil {
		db.Close()
		return nil, err
	}
	if !seeded {
		if err := s.Reset(0); err != nil {
			db.Close()
			return nil, err
		}
	}
	s.handler = s.newHandler()
	return s, nil
}

// checkFormat reports whether the file already holds a seeded sandbox of this format.
func (s *Sandbox) checkFormat() (bool, error) {
	var version []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			version = append([]byte(nil), b.Get(metaVersion)...)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("reading sandbox data file %s: %w", s.path, err)
	}
	switch {
	case version == nil:
		return false, nil
	case string(version) != formatVersion:
		return false, fmt.Errorf("sandbox data file %s has format %q, this apikeys expects %q\ndelete the file to start a fresh sandbox", s.path, version, formatVersion)
	}
	return true, nil
}

// Close releases the data file so another process can open it.
func (s *Sandbox) Close() error {
	return s.db.Close()
}

// Handler serves the emulated API (paths under /api/ss/rest/v1/) and the sandbox-only
// endpoints under /_sandbox/.
func (s *Sandbox) Handler() http.Handler {
	return s.handler
}

// Info describes the seeded organization, its logins and the data file.
func (s *Sandbox) Info() Info { return InfoAt(s.path) }

// ResolveDataPath is the absolute path of the data file Open uses for path ("" for the
// default).
func ResolveDataPath(path string) (string, error) {
	if path == "" {
		p, err := DefaultDataPath()
		if err != nil {
			return "", err
		}
		path = p
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return path, nil
}

// InfoAt is the info of the sandbox whose data file is at path, without opening it: the
// organization, password and logins are the seed's, so it can be read while `sandbox serve`
// holds the file.
func InfoAt(path string) Info {
	info := Info{
		OrganizationID:   seedOrg.ID,
		OrganizationName: seedOrg.Name,
		Password:         Password,
		DataPath:         path,
	}
	for _, u := range seedUsers {
		roles := append([]string{}, u.roles...)
		info.Logins = append(info.Logins, Login{Email: u.email, Name: u.name, Roles: roles})
	}
	return info
}

// Resources lists every resource with its owner, sorted by type, name and id.
func (s *Sandbox) Resources() ([]Resource, error) {
	var out []Resource
	err := s.db.View(func(tx *bolt.Tx) error {
		names := map[string]string{}
		if err := tx.Bucket(bucketMembers).ForEach(func(_, v []byte) error {
			var m memberRecord
			if err := decode(v, &m); err != nil {
				return err
			}
			names[m.ID] = m.Name
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketKeys).ForEach(func(_, v []byte) error {
			var k keyRecord
			if err := decode(v, &k); err != nil {
				return err
			}
			names[k.ID] = k.Title
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketResources).ForEach(func(_, v []byte) error {
			var r resourceRecord
			if err := decode(v, &r); err != nil {
				return err
			}
			out = append(out, Resource{ID: r.ID, Type: r.Type, Name: r.Name, OwnerKind: r.OwnerKind, OwnerID: r.OwnerID, OwnerName: names[r.OwnerID]})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading sandbox resources: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	if out == nil {
		out = []Resource{}
	}
	return out, nil
}

// Stats returns a copy of the counters since Open.
func (s *Sandbox) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	c := s.stats
	c.FaultsByKind = make(map[string]int64, len(s.stats.FaultsByKind))
	for k, v := range s.stats.FaultsByKind {
		c.FaultsByKind[k] = v
	}
	c.Responses = make(map[string]int64, len(s.stats.Responses))
	for k, v := range s.stats.Responses {
		c.Responses[k] = v
	}
	return c
}

// count applies f to the counters under their lock.
func (s *Sandbox) count(f func(st *Stats)) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	f(&s.stats)
}

// now is the sandbox clock in UTC, truncated to the millisecond the API's dates carry.
func (s *Sandbox) now() time.Time {
	return s.clock().UTC().Truncate(time.Millisecond)
}
