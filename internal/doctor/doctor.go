package doctor

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// API sends one request as the CLI sends it and returns the answer whatever its status
// (jmapcloud.Client.Exchange).
type API interface {
	Exchange(ctx context.Context, call jmapcloud.Call) (jmapcloud.Exchange, error)
}

// Config is the configuration the command resolved, as the checklist shows it.
type Config struct {
	Profile string
	APIURL  string // as the user gave it; shown as "in-process sandbox" with Sandbox
	Sandbox bool
	// Credentials names where the credentials come from, with no value: "--sandbox",
	// "APIKEYS_TOKEN", …, "the profile's saved session".
	Credentials string
	// Store says where the session is kept, or why none is used.
	Store string
}

// Input is what one run of the doctor needs.
type Input struct {
	Version string
	Config  Config
	// API and Org are the opened session; API is nil when it could not be opened, and
	// OpenErr says why.
	API     API
	Org     string
	OpenErr error
	// Write, when set, creates a key with these values and deletes it again.
	Write *Write
}

// Write is the short-lived key `--write` creates: a Viewer key, owning nothing.
type Write struct {
	Title   string
	Expires time.Time
}

// Thresholds of the connection checks.
const (
	slowLatency  = 2 * time.Second
	clockAgrees  = 5 * time.Second
	clockWarning = time.Minute
)

// doctor is one run: its input and the sections made so far.
type doctor struct {
	in       Input
	sections []*section
}

// Run makes every check in order and returns the report. A check that cannot be made
// because an earlier one failed (no session, no answer) is left out, the failure saying why.
func Run(ctx context.Context, in Input) Report {
	d := &doctor{in: in}
	conf := d.section("configuration")
	d.configuration(conf)
	if in.API != nil {
		d.online(ctx, conf)
	}
	r := Report{Version: in.Version, OK: true}
	for _, s := range d.sections {
		r.Sections = append(r.Sections, s.Section)
		for _, c := range s.Checks {
			if c.Status == Fail {
				r.OK = false
			}
		}
	}
	return r
}

func (d *doctor) section(name string) *section {
	s := &section{Section: Section{Name: name}}
	d.sections = append(d.sections, s)
	return s
}

func (d *doctor) configuration(s *section) {
	c := d.in.Config
	s.add(Check{Name: say("profile"), Status: OK, Value: c.Profile})
	if c.Sandbox {
		s.add(Check{Name: say("API URL"), Status: OK, Summary: say("the in-process sandbox, on a loopback address")})
	} else {
		s.add(Check{Name: say("API URL"), Status: OK, Value: c.APIURL})
	}
	if d.in.API == nil {
		s.add(Check{Name: say("credentials"), Status: Fail, Summary: say("%s: no session could be opened", known(c.Credentials)),
			Error: errorText(d.in.OpenErr), Fix: say("log in with `apikeys auth login` (or set APIKEYS_TOKEN with --org), then run the doctor again")})
		s.add(Check{Name: say("session store"), Status: OK, Value: c.Store})
		return
	}
	s.add(Check{Name: say("organization"), Status: OK, Value: d.in.Org, Summary: say("the session's")})
	s.add(Check{Name: say("credentials"), Status: OK, Summary: c.Credentials})
	s.add(Check{Name: say("session store"), Status: OK, Value: c.Store})
}

// exchange is one request and its answer.
type exchange struct {
	call jmapcloud.Call
	ex   jmapcloud.Exchange
	err  error
}

func (e exchange) ok() bool { return e.err == nil && e.ex.Status >= 200 && e.ex.Status <= 299 }

func (d *doctor) send(ctx context.Context, call jmapcloud.Call, err error) exchange {
	if err != nil {
		return exchange{call: call, err: err}
	}
	ex, err := d.in.API.Exchange(ctx, call)
	return exchange{call: call, ex: ex, err: err}
}

// online makes the checks that talk to the server.
func (d *doctor) online(ctx context.Context, conf *section) {
	org := d.in.Org
	user := d.send(ctx, jmapcloud.UserSelfCall(), nil)
	conn := d.section("connection")
	if user.err != nil {
		conn.add(Check{Name: say("connection"), Status: Fail, Summary: say("no answer from the server"), Error: errorText(user.err),
			Fix: say("check --api-url, the network and any proxy; `apikeys --debug doctor` traces the request")})
		return
	}
	d.connection(conn, user.ex)
	memberCall, err := jmapcloud.MemberSelfCall(org)
	member := d.send(ctx, memberCall, err)
	d.session(d.section("session"), conf, user, member)

	ends := d.section("endpoints")
	ends.add(endpointCheck(user, http.StatusOK))
	ends.add(endpointCheck(member, http.StatusOK))
	call, err := jmapcloud.MembersCall(org)
	ends.add(endpointCheck(d.send(ctx, call, err), http.StatusOK))
	call, err = jmapcloud.KeyListCall(org)
	list := d.send(ctx, call, err)
	listCheck := ends.add(endpointCheck(list, http.StatusOK))
	id := describePage(listCheck, list)
	switch {
	case d.in.Write != nil:
		d.write(ctx, d.section("write"), ends, id == "")
	case id == "":
		ends.add(Check{Name: "GET " + keyTemplate, Status: Warn, Summary: say("not checked: the first page of the key list holds no key to read"),
			Fix: say("run `apikeys doctor --write` to check the calls on a key it creates")})
	}
	if id != "" {
		call, err = jmapcloud.KeyCall(org, id)
		ends.add(endpointCheck(d.send(ctx, call, err), http.StatusOK))
		call, err = jmapcloud.KeyResourcesCall(org, id)
		ends.add(endpointCheck(d.send(ctx, call, err), http.StatusOK))
	}
}

const keyTemplate = "/api/ss/rest/v1/organizations/{org}/api-keys/{id}"

// connection checks TLS, latency and the server's clock on the first answer.
func (d *doctor) connection(s *section, ex jmapcloud.Exchange) {
	switch {
	case ex.TLS != "":
		s.add(Check{Name: "TLS", Status: OK, Summary: say("%s, certificate verified", ex.TLS)})
	default:
		s.add(Check{Name: "TLS", Status: OK, Summary: say("plain HTTP, to a loopback address only")})
	}
	latency := Check{Name: say("latency"), Status: OK, Summary: fmt.Sprintf("%s (GET users/self)", millis(ex.Latency))}
	if ex.Latency >= slowLatency {
		latency.Status = Warn
		latency.Fix = say("every command waits this long per request; --timeout raises the limit of each (default 20s)")
	}
	s.add(latency)
	s.add(clockCheck(ex))
}

// millis words a latency in whole milliseconds, "<1 ms" below one.
func millis(d time.Duration) string {
	if d < time.Millisecond {
		return "<1 ms"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// clockCheck compares the answer's Date header with the local clock when it arrived. Date
// has whole seconds, so a server in step reads up to a second (and the latency) behind.
func clockCheck(ex jmapcloud.Exchange) Check {
	c := Check{Name: say("clock")}
	if ex.Date == "" {
		c.Status, c.Summary = Warn, say("the answer has no Date header: the clocks cannot be compared")
		return c
	}
	server, err := http.ParseTime(ex.Date)
	if err != nil {
		c.Status, c.Summary = Warn, say("the Date header is not an HTTP date: the clocks cannot be compared")
		return c
	}
	skew := server.Sub(ex.At.Truncate(time.Second))
	abs := skew.Abs()
	switch {
	case abs <= clockAgrees:
		c.Status, c.Summary = OK, say("the server's clock agrees with ours (within %s)", clockAgrees)
	default:
		c.Status, c.Summary = OK, say("the server's clock is %s ahead of ours", abs.Round(time.Second))
		if skew < 0 {
			c.Summary = say("the server's clock is %s behind ours", abs.Round(time.Second))
		}
		if abs > clockWarning {
			c.Status = Warn
			c.Fix = say("expiry dates, the expiring and expired statuses and token renewal are judged by this machine's clock: set it right (NTP)")
		}
	}
	return c
}

// session checks the token, the organization binding and the roles.
func (d *doctor) session(s *section, conf *section, user, member exchange) {
	tok := Check{Name: say("token"), Status: OK, Summary: say("accepted by users/self")}
	if !user.ok() {
		tok.Status, tok.Summary = Fail, say("users/self answered HTTP %d", user.ex.Status)
		tok.Fix = say("log in again: `apikeys auth login`")
	}
	s.add(tok)
	if u, err := jmapcloud.ReadUser(user.ex.Body); user.ok() && err == nil {
		i := slices.IndexFunc(u.Organizations, func(o jmapcloud.Organization) bool { return strings.EqualFold(o.ID, d.in.Org) })
		member := Check{Name: say("membership"), Status: OK, Summary: say("users/self lists the organization")}
		if i < 0 {
			member.Status, member.Summary = Warn, say("users/self does not list the session's organization")
			member.Fix = say("the organizations of users/self are read by wireUser in internal/jmapcloud/wire.go; or log in with --org")
		} else if name := u.Organizations[i].Name; name != "" {
			for j := range conf.Checks {
				if conf.Checks[j].Name == say("organization") {
					conf.Checks[j].Value = sanitize.Text(name) + " (" + d.in.Org + ")"
				}
			}
		}
		s.add(member)
	}
	bind := Check{Name: say("organization binding"), Status: OK, Summary: say("members/self of the organization answered")}
	switch {
	case member.err != nil:
		bind.Status, bind.Summary, bind.Error = Fail, say("members/self got no answer"), errorText(member.err)
	case member.ex.Status == http.StatusForbidden || member.ex.Status == http.StatusUnauthorized:
		bind.Status, bind.Summary = Fail, say("members/self answered HTTP %d: the token is not bound to the organization", member.ex.Status)
		bind.Fix = say("log in again with `apikeys auth login --org ID`: the refresh that binds the token is refresh-token's organizationId (internal/jmapcloud/wire.go, wireRefresh)")
	case !member.ok():
		bind.Status, bind.Summary = Fail, say("members/self answered HTTP %d", member.ex.Status)
		bind.Fix = pathFix(member.ex.Status)
	}
	s.add(bind)
	if !member.ok() {
		return
	}
	m, err := jmapcloud.ReadMember(member.ex.Body)
	roles := Check{Name: say("roles"), Status: OK, Summary: say("read from members/self"), Value: strings.Join(sanitizeAll(m.Roles), ", ")}
	if err != nil || len(m.Roles) == 0 {
		roles.Status, roles.Summary, roles.Value = Fail, say("members/self holds no roles apikeys can read"), ""
		roles.Fix = say("the roles of a member are read by wireMember (roles) in internal/jmapcloud/wire.go")
		s.add(roles)
		return
	}
	s.add(roles)
	admin := Check{Name: "ORG_ADMIN", Status: OK, Summary: say("held: API keys can be listed, created and deleted")}
	if !m.HasRole(jmapcloud.RoleAdmin) {
		admin.Status, admin.Summary = Fail, say("not held: only an ORG_ADMIN lists, creates and deletes API keys")
		admin.Fix = say("log in as an administrator of the organization")
	}
	s.add(admin)
}

func sanitizeAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = sanitize.Text(s)
	}
	return out
}

// errorText is err's text, "" for nil (the checklist sanitises every line it prints).
func errorText(err error) string {
	return sayError(err)
}
