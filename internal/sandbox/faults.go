package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"strconv"
	"time"
)

// garbageBody is what the "garbage" fault answers: a proxy's HTML error page sent as JSON.
const garbageBody = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>upstream sent an invalid response</p></body></html>\n"

// drawFault decides whether this request gets a fault, and which; "" means none.
func (s *Sandbox) drawFault() string {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if s.faults.Rate <= 0 {
		return ""
	}
	if s.rng.Float64() >= s.faults.Rate {
		return ""
	}
	return s.faults.Kinds[s.rng.Intn(len(s.faults.Kinds))]
}

// serveAPI counts the request, applies a fault if one is drawn, and otherwise runs the API
// handler into a buffer before sending its answer.
func (s *Sandbox) serveAPI(w http.ResponseWriter, r *http.Request, api http.Handler) {
	s.count(func(st *Stats) { st.Requests++ })
	kind := s.drawFault()
	if kind != "" {
		s.count(func(st *Stats) {
			st.FaultsInjected++
			st.FaultsByKind[kind]++
		})
	}

	// Faults that strike before the request takes effect.
	switch kind {
	case "500", "503":
		status, _ := strconv.Atoi(kind)
		s.send(w, errorAnswer(status, "sandbox: injected fault: "+http.StatusText(status)))
		return
	case "429":
		a := errorAnswer(http.StatusTooManyRequests, "sandbox: injected fault: too many requests, retry after 1 second")
		a.header.Set("Retry-After", "1")
		s.send(w, a)
		return
	case "reset":
		dropConnection(w)
		return
	case "slow":
		// Read the body first: only then does net/http watch the connection and cancel the
		// request's context when the client gives up.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(s.slowDelay())
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return // the client gave up: the request is dropped without effect
		}
	}

	a := &answer{header: http.Header{}, status: http.StatusOK}
	s.run(a, r, api)

	// Faults that strike after the request took effect.
	switch kind {
	case "truncate":
		if a.body.Len() == 0 {
			dropConnection(w)
			return
		}
		copyHeader(w.Header(), a.header)
		w.Header().Set("Content-Length", strconv.Itoa(a.body.Len()))
		s.countStatus(a.status)
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body.Bytes()[:a.body.Len()/2])
		// The server closes the connection: fewer bytes than Content-Length were written.
		return
	case "garbage":
		g := &answer{header: http.Header{}, status: http.StatusOK}
		g.header.Set("Content-Type", "application/json")
		g.body.WriteString(garbageBody)
		s.send(w, g)
		return
	}
	s.send(w, a)
}

// run calls the API handler into a, turning a panic into a 500 answer.
func (s *Sandbox) run(a *answer, r *http.Request, api http.Handler) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			a.header, a.status, a.wroteHeader = http.Header{}, http.StatusOK, false
			a.body.Reset()
			writeError(a, errorf(http.StatusInternalServerError, "sandbox internal error"))
		}
	}()
	api.ServeHTTP(a, r)
}

// send writes a buffered answer.
func (s *Sandbox) send(w http.ResponseWriter, a *answer) {
	copyHeader(w.Header(), a.header)
	if bodyAllowed(a.status) {
		w.Header().Set("Content-Length", strconv.Itoa(a.body.Len()))
	}
	s.countStatus(a.status)
	w.WriteHeader(a.status)
	if bodyAllowed(a.status) {
		_, _ = w.Write(a.body.Bytes())
	}
}

func (s *Sandbox) countStatus(status int) {
	s.count(func(st *Stats) { st.Responses[strconv.Itoa(status)]++ })
}

func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusNotModified && status >= 200
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// dropConnection closes the client's connection without an answer: a TCP reset when the
// connection can be hijacked, otherwise an aborted response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST rather than FIN: "connection reset by peer"
	}
	_ = conn.Close()
}

// answer is a buffered response: the handler writes here, and the fault logic decides what
// reaches the client.
type answer struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func errorAnswer(status int, message string) *answer {
	a := &answer{header: http.Header{}, status: http.StatusOK}
	writeError(a, errorf(status, "%s", message))
	return a
}

func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(status int) {
	if !a.wroteHeader {
		a.status, a.wroteHeader = status, true
	}
}

func (a *answer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(p)
}

func (s *Sandbox) slowDelay() time.Duration {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.faults.SlowDelay
}

// SetFaults changes fault injection on a running sandbox, so a test can log in cleanly and
// then turn faults on. The fault sequence restarts from f.Seed.
func (s *Sandbox) SetFaults(f Faults) error {
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("fault rate %v is out of range: it must be between 0 and 1", f.Rate)
	}
	for _, k := range f.Kinds {
		if !validFaultKind(k) {
			return fmt.Errorf("unknown fault kind %q", k)
		}
	}
	if len(f.Kinds) == 0 {
		f.Kinds = faultKinds
	}
	if f.SlowDelay <= 0 {
		f.SlowDelay = defaultSlowDelay
	}
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = f
	s.rng = rand.New(rand.NewSource(f.Seed))
	return nil
}
