package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// formatVersion is written in the meta bucket; a file of another format is refused rather
// than misread.
const formatVersion = "1"

// Buckets. Keys of organization-scoped records start with the organization id and a slash,
// so one organization's records are a contiguous range a cursor can page through without
// decoding the rest.
var (
	bucketMeta       = []byte("meta")             // "version", "seededAt"
	bucketOrgs       = []byte("orgs")             // org id → orgRecord
	bucketUsers      = []byte("users")            // user id → userRecord
	bucketMembers    = []byte("members")          // org id/member id → memberRecord (member id = user id)
	bucketKeys       = []byte("keys")             // org id/key id → keyRecord
	bucketKeySecrets = []byte("keySecrets")       // SHA-256 hex of a key secret → org id/key id
	bucketResources  = []byte("resources")        // resource id → resourceRecord
	bucketOwned      = []byte("resourcesByOwner") // owner id/resource id → empty
	bucketSessions   = []byte("sessions")         // session id → sessionRecord
	bucketTokens     = []byte("tokens")           // SHA-256 hex of a token → tokenRecord

	metaVersion  = []byte("version")
	metaSeededAt = []byte("seededAt")

	// seedBuckets are emptied and refilled by Reset; sessions and tokens survive it.
	seedBuckets = [][]byte{bucketMeta, bucketOrgs, bucketUsers, bucketMembers, bucketKeys, bucketKeySecrets, bucketResources, bucketOwned}
	allBuckets  = append(append([][]byte{}, seedBuckets...), bucketSessions, bucketTokens)
)

type orgRecord struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"` // used in API keys' technical emails
}

type userRecord struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	PasswordSHA256 string `json:"passwordSha256"`
}

type memberRecord struct {
	ID     string   `json:"id"`
	OrgID  string   `json:"orgId"`
	Name   string   `json:"name"`
	Email  string   `json:"email"`
	Roles  []string `json:"roles"`
	Groups []string `json:"groups"`
}

type keyRecord struct {
	ID           string `json:"id"`
	OrgID        string `json:"orgId"`
	Title        string `json:"title"`
	Role         string `json:"role"`
	Email        string `json:"email"`
	CreatedBy    string `json:"createdBy"`
	Created      int64  `json:"created"` // Unix milliseconds
	Expires      int64  `json:"expires"` // Unix milliseconds
	SecretSHA256 string `json:"secretSha256,omitempty"`
}

type resourceRecord struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Name      string `json:"name"`
	OwnerKind string `json:"ownerKind"`
	OwnerID   string `json:"ownerId"`
}

type sessionRecord struct {
	ID      string `json:"id"`
	UserID  string `json:"userId"`
	Created int64  `json:"created"`
	Revoked bool   `json:"revoked"`
}

const (
	tokenAccess  = "access"
	tokenRefresh = "refresh"
)

type tokenRecord struct {
	Kind      string `json:"kind"`
	SessionID string `json:"sessionId"`
	UserID    string `json:"userId"`
	OrgID     string `json:"orgId,omitempty"` // "" = bound to no organization
	Expires   int64  `json:"expires"`         // Unix milliseconds
	Spent     bool   `json:"spent,omitempty"` // refresh tokens only
}

const (
	roleAdmin  = "ORG_ADMIN"
	roleEditor = "ORG_EDITOR"
	roleViewer = "ORG_VIEWER"

	ownerMember = "member"
	ownerAPIKey = "apikey"
)

// additiveRoles lists the roles that come with a role, as the API reports them.
func additiveRoles(role string) []string {
	switch role {
	case roleAdmin:
		return []string{roleAdmin, roleEditor, roleViewer}
	case roleEditor:
		return []string{roleEditor, roleViewer}
	case roleViewer:
		return []string{roleViewer}
	}
	return []string{}
}

func hasRole(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

func orgKey(orgID, id string) []byte { return []byte(orgID + "/" + id) }

func ownedKey(ownerID, resourceID string) []byte { return []byte(ownerID + "/" + resourceID) }

func encode(v any) ([]byte, error) { return json.Marshal(v) }

func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("corrupt sandbox record: %w", err)
	}
	return nil
}

// get decodes the record at key into v and reports whether it exists.
func get(b *bolt.Bucket, key []byte, v any) (bool, error) {
	data := b.Get(key)
	if data == nil {
		return false, nil
	}
	return true, decode(data, v)
}

func put(b *bolt.Bucket, key []byte, v any) error {
	data, err := encode(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// apiTimeLayout is the date format of API.md: milliseconds and a numeric offset (+00:00).
const apiTimeLayout = "2006-01-02T15:04:05.000-07:00"

func formatTime(t time.Time) string { return t.UTC().Format(apiTimeLayout) }

// digest is how every secret is stored: its SHA-256, hex-encoded.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // never happens on supported platforms
	}
	return b
}

// newToken returns an opaque bearer token (256 random bits).
func newToken() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(32))
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newKeySecret returns an API-key secret: "jmc_" and 40 uniformly random base62 characters.
func newKeySecret() string {
	var sb strings.Builder
	sb.WriteString("jmc_")
	for sb.Len() < 44 {
		for _, c := range randomBytes(48) {
			if c < 248 && sb.Len() < 44 { // 248 = 4×62: rejection keeps the choice uniform
				sb.WriteByte(base62[c%62])
			}
		}
	}
	return sb.String()
}

// newUUID returns a random version-4 UUID.
func newUUID() string { return formatUUID(randomBytes(16)) }

// derivedUUID returns a version-4-shaped UUID that depends only on its inputs, so Reset's
// generated records get the same ids every time.
func derivedUUID(kind string, i int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("apikeys-sandbox/%s/%d", kind, i)))
	return formatUUID(sum[:16])
}

func formatUUID(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// parseUUID normalizes a UUID to lower case and reports whether s is one.
func parseUUID(s string) (string, bool) {
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

// keyEmail is an API key's technical email; the portal shows one per key.
func keyEmail(keyID, orgSlug string) string {
	return "apikey-" + keyID[:8] + "@" + orgSlug + ".sandbox.jmapcloud.io"
}

// ownedResources returns the resources owned by ownerID, through the owner index.
func ownedResources(tx *bolt.Tx, ownerID string) ([]resourceRecord, error) {
	var out []resourceRecord
	prefix := []byte(ownerID + "/")
	res := tx.Bucket(bucketResources)
	c := tx.Bucket(bucketOwned).Cursor()
	for k, _ := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, _ = c.Next() {
		var r resourceRecord
		ok, err := get(res, k[len(prefix):], &r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// putResource stores r and its owner-index entry.
func putResource(tx *bolt.Tx, r resourceRecord) error {
	if err := put(tx.Bucket(bucketResources), []byte(r.ID), r); err != nil {
		return err
	}
	return tx.Bucket(bucketOwned).Put(ownedKey(r.OwnerID, r.ID), []byte{})
}

// putKey stores k and, when it has a secret, its secret index entry.
func putKey(tx *bolt.Tx, k keyRecord) error {
	if err := put(tx.Bucket(bucketKeys), orgKey(k.OrgID, k.ID), k); err != nil {
		return err
	}
	if k.SecretSHA256 == "" {
		return nil
	}
	return tx.Bucket(bucketKeySecrets).Put([]byte(k.SecretSHA256), orgKey(k.OrgID, k.ID))
}
