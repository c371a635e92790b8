// Package sandbox is a local emulator of the JMap Cloud security-service endpoints that
// apikeys uses (see API.md): authentication with single-use refresh tokens, the caller's
// user and membership, the organization's members, and the API-key calls (list, create,
// get, owned resources, delete with an optional ownership transfer). It exists because the
// real service cannot be reached from development and CI machines, and because a client's
// error handling is only believable when it has met a real server that fails.
//
// # Store
//
// The sandbox keeps its state in a bbolt file: bbolt is pure Go (no cgo, so the CLI stays a
// static binary), keeps everything in one file (easy to point at with --data, easy to delete),
// gives serializable ACID transactions (a delete-with-transfer happens entirely or not at
// all, concurrent requests never lose writes) and needs no server, so the state persists
// between invocations of the CLI. bbolt takes an exclusive file lock: while one process (for
// instance `apikeys sandbox serve`) holds the file, Open in another process fails after about
// a second with an error that names the file.
//
// Every mutation runs in one db.Update transaction together with the authentication and
// authorization checks it depends on; every read runs in one db.View. Secrets are never
// stored: tokens and API-key secrets are kept only as their SHA-256 digests.
//
// bbolt cannot seek to the n-th key, so the sandbox keeps in memory, per organization, the
// sorted ids of its API keys: a page of the api-keys list takes its total and its first key
// from there, then reads its own keys from the store, at a cost that depends on the page's
// size and not on the organization's. The index is built from the store on the first page
// asked for, follows each creation and deletion once it commits, and is dropped by Reset;
// pages are served in parallel, never during a key's creation or deletion.
//
// # Seed
//
// An empty file is seeded with one organization (Acme Geospatial), fixed UUIDs and names,
// and dates relative to the seeding time: two administrators, two editors, a viewer, a user
// who belongs to no organization, eleven API keys (both roles, two creators, one expired
// yesterday and one long expired, two expiring within 30 days, some far in the future, two
// sharing a title, some owning data sources, projects, layers and tables, some owning
// nothing) and resources owned by members. All logins share the password [Password].
// [Sandbox.Reset] restores that seed, plus any number of generated keys whose ids and titles
// depend only on their index. Reset keeps the sessions (the members do not change), so a
// logged-in client stays logged in.
//
// # Behaviour beyond API.md
//
//   - Members are users: a member's id is its user id.
//   - The access token returned by authenticate is bound to no organization; organization
//     calls made with it answer 403 and ask for a refresh with an organizationId. A refresh
//     without organizationId keeps the binding of the token it replaces.
//   - Refresh tokens are single-use and live 30 days. Presenting a spent one answers 401 and
//     counts in [Stats].RefreshTokenReuse; it does not revoke the rest of the session.
//   - revoke-token ends the whole session: its refresh token and every access token issued
//     in it stop working. Revoking an unknown token still answers 200 (as RFC 7009 does).
//   - With an API key (header Api-Key, or query apiKey), users/self and members/self describe
//     the key itself: its id, title (as name), technical email, roles, and "apiKey": true.
//     members is readable with an API key; every api-keys call answers 403 "API keys cannot
//     manage API keys". An expired or unknown key answers 401. Keys created by Reset's
//     generator have no secret and cannot authenticate. When both Authorization and Api-Key
//     are sent, Authorization wins.
//   - The api-keys list is a bare JSON array in key-id order; with ?page= or ?size= it is a
//     page object {"content", "totalElements", "totalPages", "page", "size"} (page is 0-based,
//     size defaults to 20 and is capped at 2000; the answered size is the one used).
//   - members/self is wrapped in the {"message", "result"} envelope, as authenticate and
//     refresh-token are; the other answers are bare, so a client meets both forms.
//   - Errors are {"message": "...", "status": N}, unknown routes included.
//
// # Sandbox-only endpoints
//
// These answer without authentication and are never subject to faults:
//
//   - GET /_sandbox/stats — JSON of [Stats]: counters since Open (requests, faults injected by
//     kind, spent refresh tokens presented again, logins, answers by status, ...).
//   - GET /_sandbox/resources — JSON of [Sandbox.Resources], so a test can see where a
//     deleted key's resources went while another process holds the data file.
//
// # Faults
//
// With [Faults].Rate > 0, each API request draws (from a math/rand source seeded with
// [Faults].Seed, so a sequential run is reproducible) whether it gets a fault and which one.
// Some kinds strike before the request takes effect, others after:
//
// Before — the request has NO effect, retrying is safe:
//   - "500", "503": an error JSON with that status.
//   - "429": an error JSON with Retry-After: 1.
//   - "reset": the connection is closed (TCP reset) without any response.
//
// Delayed — the request takes effect after the delay unless the client gives up first:
//   - "slow": waits [Faults].SlowDelay (30 s by default, beyond a client's timeout), then
//     processes the request normally. If the client disconnects during the wait, the request
//     is dropped without effect.
//
// After — the request HAS taken effect (a key was created or deleted) but the client cannot
// read the answer:
//   - "truncate": the full Content-Length is announced and half the body is sent, then the
//     connection is closed. A body-less answer (204 of a delete) is replaced by closing the
//     connection without a response.
//   - "garbage": a 200 whose body (an HTML proxy error page labelled application/json) is
//     not JSON, whatever the real status was.
//
// The handler logs nothing, and never writes a secret anywhere but the one response that
// creates it.
package sandbox
