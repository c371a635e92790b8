// Package jmapcloud is a typed client for the JMap Cloud security service calls apikeys uses.
// It neither prints nor knows about the command line: callers pass a context, get typed
// values or typed errors back.
package jmapcloud

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// TokenSource supplies the bearer token of a user session. Refresh is called once after a
// 401; it returns an error when the session cannot be renewed.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
	// Refresh renews the session after the server refused the access token refused. When
	// the current token is already another one (a concurrent request renewed it), it does
	// nothing: a single-use refresh token is not spent for a token that is already gone.
	Refresh(ctx context.Context, refused string) error
}

// StaticToken is a token that cannot be renewed, e.g. APIKEYS_TOKEN.
type StaticToken string

// Token returns the token itself.
func (t StaticToken) Token(context.Context) (string, error) { return string(t), nil }

// Refresh always fails: a static token cannot be renewed.
func (StaticToken) Refresh(context.Context, string) error {
	return l10n.Errorf("the access token was refused and cannot be refreshed")
}

// Options configure a Client.
type Options struct {
	BaseURL    string
	HTTPClient *http.Client // nil → a client with Timeout
	Timeout    time.Duration
	Tokens     TokenSource // nil for the unauthenticated calls (authenticate, refresh)
	UserAgent  string
	PageSize   int
	Retry      RetryPolicy // zero value → DefaultRetryPolicy
	Trace      io.Writer   // non-nil → a --debug trace of every exchange, secrets redacted
}

// Client calls the JMap Cloud API.
type Client struct {
	base      *url.URL
	http      *http.Client
	tokens    TokenSource
	userAgent string
	pageSize  int
	retry     RetryPolicy
	secrets   *secretSet // shared by the copies WithTokens makes, and by the trace
	// unexpected collects the members no wire struct names, for every copy.
	unexpected *unexpectedMembers
}

// DefaultTimeout bounds every request unless Options.Timeout says otherwise.
const DefaultTimeout = 20 * time.Second

// New checks the base URL and builds a client.
func New(opts Options) (*Client, error) {
	base, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, l10n.Errorf("invalid API URL %q: expected something like https://api.jmapcloud.io", opts.BaseURL)
	}
	if err := checkURL(base); err != nil {
		return nil, err
	}
	secrets := newSecretSet()
	hc, trace := httpClient(opts, secrets)
	unexpected := newUnexpectedMembers()
	unexpected.trace = trace
	size := opts.PageSize
	if size <= 0 {
		size = 1000
	}
	retry := opts.Retry.orDefault()
	return &Client{base: base, http: hc, tokens: opts.Tokens, userAgent: opts.UserAgent, pageSize: size, retry: retry, secrets: secrets, unexpected: unexpected}, nil
}

// httpClient is a copy of opts.HTTPClient (or a new client) that follows no redirect, sends
// nothing outside the https-or-loopback rule, and traces when asked (the trace, nil if not). A redirect is answered
// as it came (send turns it into a RedirectError): following it would re-send the password,
// the refresh token or the Bearer token to wherever the server pointed.
func httpClient(opts Options, secrets *secretSet) (*http.Client, *TraceTransport) {
	var hc http.Client
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	} else {
		hc.Timeout = opts.Timeout
		if hc.Timeout == 0 {
			hc.Timeout = DefaultTimeout
		}
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if t, ok := next.(*http.Transport); ok {
		t = t.Clone()
		t.DialContext = loopbackNamesDialer(t.DialContext, net.DefaultResolver.LookupIPAddr)
		next = t
	}
	var rt http.RoundTripper = urlPolicy{next: next}
	var trace *TraceTransport
	if opts.Trace != nil {
		trace = &TraceTransport{Next: rt, W: opts.Trace, known: secrets}
		rt = trace
	}
	hc.Transport = redirectShield{next: rt}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc, trace
}

// unfollowedLocation is where redirectShield puts a redirect's Location.
const unfollowedLocation = "X-Apikeys-Unfollowed-Location"

// redirectShield hands http.Client a redirect without its Location header, kept under
// unfollowedLocation for redirectError. The client then returns the answer as it came: with a
// Location it would parse it first, and one it cannot parse ("https://a%0d%0aX:y/") became
// a network error, retried as one, instead of the refused redirect it is.
type redirectShield struct{ next http.RoundTripper }

func (s redirectShield) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := s.next.RoundTrip(req)
	if err != nil || res.StatusCode < 300 || res.StatusCode > 399 {
		return res, err
	}
	shielded := *res // a copy: the trace still shows the answer's own headers
	shielded.Header = res.Header.Clone()
	shielded.Header.Del(unfollowedLocation)
	if loc, ok := shielded.Header["Location"]; ok {
		shielded.Header[unfollowedLocation] = loc
		shielded.Header.Del("Location")
	}
	return &shielded, nil
}

// WithTokens returns a copy of c that authenticates with tokens.
func (c *Client) WithTokens(tokens TokenSource) *Client {
	cp := *c
	cp.tokens = tokens
	return &cp
}

// BaseURL is the service root the client talks to.
func (c *Client) BaseURL() string { return c.base.String() }

// Authenticate logs a user in; the session is bound to no organization yet.
func (c *Client) Authenticate(ctx context.Context, username, password string) (Tokens, error) {
	var t Tokens
	c.secrets.add(password)
	body := wireLogin{Username: username, Password: password}
	err := c.do(ctx, http.MethodPost, pathAuthenticate(), nil, body, tokensAnswer(&t), false)
	c.secrets.add(t.AccessToken, t.RefreshToken)
	return t, err
}

// RefreshToken spends a single-use refresh token for a new pair bound to organizationID.
func (c *Client) RefreshToken(ctx context.Context, refreshToken, organizationID string) (Tokens, error) {
	var t Tokens
	c.secrets.add(refreshToken)
	body := wireRefresh{RefreshToken: refreshToken}
	if organizationID != "" {
		// Refused before the single-use token is spent: the session would be bound to an
		// organization no later request can name.
		if _, err := pathOrg(organizationID); err != nil {
			return t, err
		}
		body.OrganizationID = organizationID
	}
	err := c.do(ctx, http.MethodPost, pathRefreshToken(), nil, body, tokensAnswer(&t), false)
	c.secrets.add(t.AccessToken, t.RefreshToken)
	return t, err
}

// RevokeToken logs out.
func (c *Client) RevokeToken(ctx context.Context, refreshToken string) error {
	c.secrets.add(refreshToken)
	return c.do(ctx, http.MethodPost, pathRevokeToken(), nil, wireRefresh{RefreshToken: refreshToken}, nil, false)
}

// UserSelf describes the logged-in user and their organizations.
func (c *Client) UserSelf(ctx context.Context) (User, error) {
	var u User
	err := c.do(ctx, http.MethodGet, pathUserSelf(), nil, nil, userAnswer(&u), true)
	return u, err
}

// MemberSelf is the caller's membership in org, with its roles.
func (c *Client) MemberSelf(ctx context.Context, org string) (Member, error) {
	var m Member
	path, err := pathMemberSelf(org)
	if err != nil {
		return m, err
	}
	err = c.do(ctx, http.MethodGet, path, nil, nil, memberAnswer(&m), true)
	return m, err
}

// Members lists the organization's members.
func (c *Client) Members(ctx context.Context, org string) ([]Member, error) {
	var members []Member
	path, err := pathMembers(org)
	if err != nil {
		return nil, err
	}
	err = c.do(ctx, http.MethodGet, path, nil, nil, membersAnswer(&members), true)
	return members, err
}

// ListAPIKeys returns every key of org, following pages when the server offers them. Once
// the first page has told how many keys there are, the pages that number implies are
// requested a few at a time (see prefetchKeyPages); the loop still takes them in order and
// stops by the same rules as a page-by-page walk (keyWalk.add). A list whose pages repeat
// keys, end before their stated total or go on past the walk's limits is a *PagingError.
func (c *Client) ListAPIKeys(ctx context.Context, org string) ([]APIKey, error) {
	return c.listAPIKeys(ctx, org, listLimits{keys: maxListKeys, pages: maxListPages})
}

func (c *Client) listAPIKeys(ctx context.Context, org string, limits listLimits) ([]APIKey, error) {
	walk, _, err := c.walkKeys(ctx, org, limits, nil)
	if err != nil {
		return nil, err
	}
	return walk.keys, nil
}

// KeyPage is one page of the key list, as ListAPIKeyPages gives it.
type KeyPage struct {
	// Index is the page's number, 0 for the first.
	Index int
	// Keys are the page's keys, not to be changed. The slice is the walk's, and read into
	// again once the walk has taken the page: what is kept of it must be copied (its strings
	// may be kept).
	Keys []APIKey
	// Total is the number of keys page 0 stated, 0 if none: the server's word, which the walk
	// checks only as the pages come.
	Total int
}

// ListAPIKeyPages walks the organization's key list as ListAPIKeys does, by the same rules,
// but keeps none of the keys: each page is given to read as soon as it is decoded, so that
// what a command makes of the keys is made while the next pages arrive, and the list itself
// is never held whole (on 100,000 keys, 15 MB written once and read once;
// docs/performance.md). read is called for page 0 first, alone; then possibly for several
// pages at once, from other goroutines, in no set order, and for pages fetched ahead that
// the list turns out not to hold. When err is nil the list is pages [0, pages), each given
// to read exactly once: what read made of any other page must be dropped. When err is not
// nil, none of what read was given is the list.
func (c *Client) ListAPIKeyPages(ctx context.Context, org string, read func(KeyPage)) (pages int, err error) {
	return c.listAPIKeyPages(ctx, org, listLimits{keys: maxListKeys, pages: maxListPages}, read)
}

func (c *Client) listAPIKeyPages(ctx context.Context, org string, limits listLimits, read func(KeyPage)) (int, error) {
	if read == nil {
		return 0, errors.New("ListAPIKeyPages: no function to read the pages")
	}
	_, pages, err := c.walkKeys(ctx, org, limits, read)
	return pages, err
}

// walkKeys reads the key list, page after page (see ListAPIKeys); with read, it gives each
// page to read and keeps only the keys' IDs (see ListAPIKeyPages). pages is how many pages
// make the list.
func (c *Client) walkKeys(ctx context.Context, org string, limits listLimits, read func(KeyPage)) (walk *keyWalk, pages int, err error) {
	path, err := pathAPIKeys(org)
	if err != nil {
		return nil, 0, err
	}
	walk = &keyWalk{path: path, limits: limits, keep: read == nil}
	var (
		ahead *keyPrefetch
		bufs  *keyBuffers // the arrays pages are read into when the walk keeps no key
	)
	defer func() { ahead.stop() }()
	for page := 0; ; page++ {
		var p pageOf[APIKey]
		var err error
		if ahead.has(page) {
			p, err = ahead.wait(ctx, page)
		} else {
			p, err = c.readKeyPage(ctx, org, page, bufs.get(), walk.total, read)
		}
		if err != nil {
			return nil, 0, err
		}
		done, err := walk.add(page, p)
		if err != nil {
			return nil, 0, err
		}
		bufs.put(p.Items) // the walk has read their IDs: the array may take another page
		if done {
			return walk, page + 1, nil
		}
		if page == 0 && read != nil {
			bufs = &keyBuffers{size: len(p.Items)}
		}
		if page == 0 && p.Total > len(p.Items) && len(p.Items) > 0 {
			end := min((p.Total+len(p.Items)-1)/len(p.Items), limits.pages)
			ahead = prefetchKeyPages(ctx, 1, end, c.keyPageFetcher(org, walk, bufs, read))
		}
	}
}

// keyPageFetcher is how the prefetcher reads a page: into the room walk has for it in its
// array when it keeps the keys, else into one of bufs, given to read.
func (c *Client) keyPageFetcher(org string, walk *keyWalk, bufs *keyBuffers, read func(KeyPage)) func(context.Context, int) (pageOf[APIKey], error) {
	if read == nil {
		rooms := walk.rooms()
		return func(ctx context.Context, page int) (pageOf[APIKey], error) {
			return c.listKeysPage(ctx, org, page, rooms.of(page))
		}
	}
	total := walk.total
	return func(ctx context.Context, page int) (pageOf[APIKey], error) {
		return c.readKeyPage(ctx, org, page, bufs.get(), total, read)
	}
}

// readKeyPage fetches a page into dst's room and, with read, gives it to read with the total
// page 0 stated: page 0's own, else total.
func (c *Client) readKeyPage(ctx context.Context, org string, page int, dst []APIKey, total int, read func(KeyPage)) (pageOf[APIKey], error) {
	p, err := c.listKeysPage(ctx, org, page, dst)
	if err == nil && read != nil {
		if page == 0 {
			total = p.Total
		}
		read(KeyPage{Index: page, Keys: p.Items, Total: total})
	}
	return p, err
}

// keyBuffers are the arrays of keys the pages are read into when the walk keeps no key:
// as many as pages are read at once, each reused once the walk has taken its page.
type keyBuffers struct {
	mu   sync.Mutex
	free [][]APIKey
	size int // a page's keys: page 0's
}

// get is a free array with room for a page, nil when b is nil (the decoder then makes one).
func (b *keyBuffers) get() []APIKey {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.free); n > 0 {
		keys := b.free[n-1]
		b.free = b.free[:n-1]
		return keys
	}
	return make([]APIKey, 0, b.size)
}

// put gives back the array of a page the walk has taken, unless it is larger than a page
// (a page that outgrew its array was read into a new one).
func (b *keyBuffers) put(keys []APIKey) {
	if b == nil || cap(keys) == 0 || cap(keys) > b.size {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.free = append(b.free, keys[:0])
}

// listKeysPage fetches one page of the key list, its keys read into dst's room if any.
func (c *Client) listKeysPage(ctx context.Context, org string, page int, dst []APIKey) (pageOf[APIKey], error) {
	var p pageOf[APIKey]
	path, err := pathAPIKeys(org)
	if err != nil {
		return p, err
	}
	body := getPageBody()
	err = c.do(withBodyBuffer(ctx, body), http.MethodGet, path, queryPage(page, c.pageSize), nil, keyPageAnswer(&p, dst), true)
	if err == nil {
		putPageBody(body) // the page read nothing of it (its texts are copied): the next page may
	}
	return p, err
}

// pageBodies recycles the buffers the pages of the key list are read into: on 100,000 keys,
// 100 pages of 280 kB each were 27 MB of fresh memory, each page garbage once decoded
// (docs/performance.md). A key page's decoding copies what it keeps (texts into a textArena,
// unexpected member names into their own slices), so its body is free once it succeeded; a
// body whose call failed is left to the collector, as an error may quote it.
var pageBodies sync.Pool

// bodyBuffer is a buffer that one call's first read of a 2xx body may use (readBody); later
// attempts of the call allocate their own, so an attempt's answer is never written over by
// the next one's.
type bodyBuffer struct {
	buf  []byte
	used bool
}

func getPageBody() *bodyBuffer {
	if b, ok := pageBodies.Get().(*bodyBuffer); ok {
		b.used = false
		return b
	}
	return &bodyBuffer{}
}

func putPageBody(b *bodyBuffer) {
	if cap(b.buf) <= maxPooledBody {
		pageBodies.Put(b)
	}
}

// maxPooledBody is the largest buffer kept for the next page: a page of 1,000 keys is about
// 280 kB, of the sandbox's cap of 2,000 twice that; an unpaged list is read once.
const maxPooledBody = 1 << 20

type bodyBufferKey struct{}

func withBodyBuffer(ctx context.Context, b *bodyBuffer) context.Context {
	return context.WithValue(ctx, bodyBufferKey{}, b)
}

// takeBodyBuffer is ctx's body buffer if it has one not used yet, marked used.
func takeBodyBuffer(ctx context.Context) *bodyBuffer {
	b, _ := ctx.Value(bodyBufferKey{}).(*bodyBuffer)
	if b == nil || b.used {
		return nil
	}
	b.used = true
	return b
}

// CreateAPIKeyRequest is what Create sends.
type CreateAPIKeyRequest struct {
	Title          string
	Role           string
	ExpirationDate time.Time
}

// CreateAPIKey creates a key; the answer is the only place its secret ever appears.
func (c *Client) CreateAPIKey(ctx context.Context, org string, req CreateAPIKeyRequest) (APIKey, error) {
	var k APIKey
	path, err := pathAPIKeys(org)
	if err != nil {
		return k, err
	}
	body := wireNewKey{Title: req.Title, Role: req.Role, ExpirationDate: FormatTime(req.ExpirationDate)}
	err = c.do(ctx, http.MethodPost, path, nil, body, keyAnswer(&k), true)
	c.secrets.add(k.Secret)
	return k, err
}

// GetAPIKey fetches one key (never its secret).
func (c *Client) GetAPIKey(ctx context.Context, org, id string) (APIKey, error) {
	var k APIKey
	path, err := pathAPIKey(org, id)
	if err != nil {
		return k, err
	}
	err = c.do(ctx, http.MethodGet, path, nil, nil, keyAnswer(&k), true)
	k.Secret = ""
	return k, err
}

// APIKeyResources lists what a key owns.
func (c *Client) APIKeyResources(ctx context.Context, org, id string) ([]Resource, error) {
	var rs []Resource
	path, err := pathAPIKeyResources(org, id)
	if err != nil {
		return nil, err
	}
	err = c.do(ctx, http.MethodGet, path, nil, nil, resourcesAnswer(&rs), true)
	return rs, err
}

// DeleteAPIKey deletes a key. With transferTo set, its resources move to that member;
// without, the resources it alone owns are deleted with it. Irreversible.
func (c *Client) DeleteAPIKey(ctx context.Context, org, id, transferTo string) error {
	path, err := pathAPIKey(org, id)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, path, queryTransferTo(transferTo), nil, nil, true)
}

// do sends one request and decodes the answer into out, unwrapping the result envelope.
// With auth, a 401 triggers one refresh and one resend. Calls are retried as far as their
// kind allows (see retry.go); a create is never sent twice.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any, out answer, auth bool) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return err
		}
	}
	sent, err := c.attempts(ctx, method, path, query, payload, out, auth)
	if auth && c.tokens != nil && StatusCode(err) == http.StatusUnauthorized {
		if rerr := c.tokens.Refresh(ctx, sent); rerr == nil {
			_, err = c.attempts(ctx, method, path, query, payload, out, auth)
		}
	}
	return err
}

// attempts sends a request, sending it again on transient failures when its kind allows
// (see kindOf). It returns the access token the last attempt carried, for a refresh after a 401.
func (c *Client) attempts(ctx context.Context, method, path string, query url.Values, payload []byte, out answer, auth bool) (string, error) {
	kind := kindOf(method, path)
	for attempt := 1; ; attempt++ {
		resp, err := c.send(ctx, method, path, query, payload, auth)
		if err == nil {
			err = resp.result(method, path, out, c.unexpected)
		}
		err = c.redactError(err)
		if err == nil {
			return resp.token, nil
		}
		// A DELETE whose earlier attempt got no clear answer may have been carried out:
		// a 404 now means it was.
		if method == http.MethodDelete && attempt > 1 && IsNotFound(err) {
			return resp.token, nil
		}
		wait, retry := c.retry.decide(ctx, attempt, err, resp)
		if !retry || !kind.resendable(err) {
			return resp.token, err
		}
		if serr := c.retry.sleep(ctx, wait); serr != nil {
			return resp.token, serr
		}
	}
}

// result checks the status and decodes the body.
func (r response) result(method, path string, out answer, seen *unexpectedMembers) error {
	if r.status < 200 || r.status > 299 {
		return decodeError(method, path, r.status, r.body)
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(r.body)) == 0 {
		return &DecodeError{Method: method, Path: path, Err: l10n.Errorf("empty response body")}
	}
	if isWebPage(r.body) {
		return &DecodeError{Method: method, Path: path, Err: ErrWebPage}
	}
	if err := out(r.body, seen); err != nil {
		return &DecodeError{Method: method, Path: path, Err: inPlainWords(err)}
	}
	return nil
}

// ErrWebPage is a 2xx answer that is a web page, not JSON: what a proxy's or captive portal's
// sign-in page, or a web site at --api-url, answers. It is retried like any unreadable answer:
// a proxy's error page can be momentary.
var ErrWebPage = l10n.Errorf("the answer is a web page (HTML), not JSON: something other than the JMap Cloud API answered, such as a proxy's sign-in page")

// isWebPage reports an answer that opens with '<', which no JSON value does. The label alone
// does not decide: some servers send their JSON as text/html, and that JSON is read.
func isWebPage(body []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
}

type response struct {
	token  string // the access token the request carried
	status int
	header http.Header
	body   []byte
	tls    *tls.ConnectionState // nil over plain http; read by the doctor only (Exchange)
}

// maxBody bounds any one answer, enforced while reading. A page of 1,000 keys is about
// 400 kB; an unpaged list of 80,000 keys would still fit.
const maxBody = 32 << 20

func (c *Client) send(ctx context.Context, method, path string, query url.Values, payload []byte, auth bool) (response, error) {
	// path is already escaped (paths.go escapes each ID): it goes in RawPath, or an ID
	// holding a space or a slash would be escaped twice ("a%20b" sent as "a%2520b").
	u := *c.base
	u.RawPath = strings.TrimRight(c.base.EscapedPath(), "/") + path
	unescaped, err := url.PathUnescape(u.RawPath)
	if err != nil {
		return response{}, err
	}
	u.Path = unescaped
	u.RawQuery = query.Encode()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	var tok string
	if auth && c.tokens != nil {
		if tok, err = c.tokens.Token(ctx); err != nil {
			return response{}, err
		}
		c.secrets.add(tok)
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := c.http.Do(req)
	if err != nil {
		var refused *InsecureURLError
		if errors.As(err, &refused) {
			return response{token: tok}, refused // nothing was sent: not a network failure
		}
		var elsewhere *LoopbackNameError
		if errors.As(err, &elsewhere) {
			return response{token: tok}, elsewhere // nothing was sent either; resending would not help
		}
		return response{token: tok}, &NetworkError{Method: method, Path: path, Err: err}
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 && res.StatusCode <= 399 {
		return response{token: tok, status: res.StatusCode, header: res.Header}, c.redirectError(method, path, res)
	}
	var into *bodyBuffer
	if res.StatusCode >= 200 && res.StatusCode <= 299 {
		into = takeBodyBuffer(ctx)
	}
	data, err := readBody(res, into)
	if errors.Is(err, errTooLarge) {
		return response{token: tok, status: res.StatusCode, header: res.Header}, &TooLargeError{Method: method, Path: path, Limit: maxBody}
	}
	if err != nil {
		return response{token: tok}, &NetworkError{Method: method, Path: path, Err: err, Status: res.StatusCode}
	}
	return response{token: tok, status: res.StatusCode, header: res.Header, body: data, tls: res.TLS}, nil
}

// errTooLarge is readBody's answer to a body over maxBody.
var errTooLarge = errors.New("answer too large")

// readBody reads at most maxBody bytes of res's body, and fails with errTooLarge rather than
// return a truncated body (which would be reported as broken JSON). When the server states
// the length, the buffer is allocated once at that size: io.ReadAll's doubling would allocate
// about twice each page of a large key list, all of it garbage a moment later.
//
// With into, the body is read into into's buffer when it is large enough, and the buffer
// read into is left there for the caller to recycle.
func readBody(res *http.Response, into *bodyBuffer) ([]byte, error) {
	if res.ContentLength > maxBody {
		return nil, errTooLarge
	}
	r := io.LimitReader(res.Body, maxBody+1)
	var data []byte
	var err error
	n := res.ContentLength
	switch {
	case into != nil:
		// The buffer grows as a bytes.Buffer does when the length is not stated, or to a
		// little more than the stated length, for the next pages.
		room := into.buf[:0]
		if n > 0 && int64(cap(room)) < n+bytes.MinRead {
			room = make([]byte, 0, n+n/16+bytes.MinRead)
		}
		buf := bytes.NewBuffer(room)
		_, err = buf.ReadFrom(r)
		data = buf.Bytes()
		into.buf = data
	case n > 0:
		buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
		_, err = buf.ReadFrom(r)
		data = buf.Bytes()
	default:
		data, err = io.ReadAll(r)
	}
	if err == nil && len(data) > maxBody {
		return nil, errTooLarge
	}
	return data, err
}

// redirectError describes a redirect the client did not follow, naming its target with
// the known secrets redacted, and the base URL it implies when the target keeps the path.
func (c *Client) redirectError(method, path string, res *http.Response) *RedirectError {
	e := &RedirectError{Method: method, Path: path, StatusCode: res.StatusCode}
	raw := res.Header.Get(unfollowedLocation)
	if raw == "" {
		return e
	}
	loc, err := res.Request.URL.Parse(raw)
	if err != nil {
		e.Location = c.secrets.redact(raw) // shown as sent; nothing to suggest
		return e
	}
	// Named with its user information dropped and the values of secret-named query
	// parameters (password, token…) redacted, as --debug shows URLs: a hostile server's
	// target may carry a credential it learned or made up, to be pasted into a log.
	e.Location = c.secrets.redact(redactURL(loc))
	if prefix, ok := strings.CutSuffix(loc.Path, path); ok && loc.Host != "" && sameServerTarget(res.Request.URL, loc) {
		base := url.URL{Scheme: loc.Scheme, Host: loc.Host, Path: prefix}
		// Suggested only as an address apikeys would use: https, or http to loopback, and of
		// a sensible length.
		if suggested := c.secrets.redact(base.String()); checkURL(&base) == nil && len(suggested) <= maxServerText {
			e.SuggestedURL = suggested
		}
	}
	return e
}

// sameServerTarget reports a redirect that stays with the server asked (the same host name,
// another path or port, or http moved to https): only such a target is suggested as the
// --api-url to use. A redirect to another host, or from https down to http, may be an
// attacker's: it is named in the error, never recommended.
func sameServerTarget(from, to *url.URL) bool {
	if !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	return !(from.Scheme == "https" && to.Scheme != "https")
}

// redactError replaces the known secrets in the server text an error carries.
func (c *Client) redactError(err error) error {
	var apiErr *APIError
	var decErr *DecodeError
	var netErr *NetworkError
	switch {
	case errors.As(err, &apiErr):
		apiErr.Message = c.secrets.redact(apiErr.Message)
		for i, d := range apiErr.Details {
			apiErr.Details[i] = c.secrets.redact(d)
		}
	case errors.As(err, &decErr) && decErr.Err != nil:
		if text := c.secrets.redact(decErr.Err.Error()); text != decErr.Err.Error() {
			decErr.Err = errors.New(text)
		}
	case errors.As(err, &netErr) && netErr.Err != nil:
		// Go's transport quotes what the server sent when it cannot parse it (a status line, a
		// header line), and a server can echo the Authorization header there.
		if text := c.secrets.redact(netErr.Err.Error()); text != netErr.Err.Error() {
			netErr.Err = &redactedError{text: text, err: netErr.Err}
		}
	}
	return err
}

// redactedError is an error whose text had secrets replaced; it still unwraps to the
// original, so that errors.Is (a deadline, a cancellation) sees through it.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// NetworkError is a request that got no complete answer: the outcome on the server is unknown.
type NetworkError struct {
	Method, Path string
	Status       int // set when headers arrived but the body broke off
	Err          error
}

func (e *NetworkError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language (the cause, Go's words, stays English).
func (e *NetworkError) Localize(p *l10n.Printer) string {
	return p.Sprintf("%s %s: no complete answer from the server: %v", e.Method, e.Path, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// DecodeError is a 2xx answer whose body could not be read as the expected JSON.
type DecodeError struct {
	Method, Path string
	Err          error
}

func (e *DecodeError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *DecodeError) Localize(p *l10n.Printer) string {
	return p.Sprintf("%s %s: unreadable answer from the server: %v", e.Method, e.Path, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }
