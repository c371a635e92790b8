// Package doctor checks what apikeys assumes about the server it talks to: its
// configuration, the connection, the session, and the shape of every answer the CLI reads
// (paths, status codes, envelope, page, and which name each field came under), against the
// client's one file of paths (internal/jmapcloud/paths.go) and of wire structs (wire.go).
//
// It is pure against interfaces: the command (internal/cli/doctor.go) gives it the
// configuration it resolved and an API that sends one request; it returns a Report, which
// prints as a checklist, as JSON, and as a bug report that holds no value of the server's.
package doctor

import (
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
)

// Status is a check's outcome.
type Status string

const (
	// OK is as apikeys assumes.
	OK Status = "ok"
	// Warn works, but differs from what API.md assumes (a variant name, a 200 for a 201), or
	// could not be checked: worth reporting, not a failure.
	Warn Status = "warn"
	// Fail is something the CLI needs and did not find: the exit status is 1.
	Fail Status = "fail"
)

// Mark is the checklist's sign for s.
func (s Status) Mark() string {
	switch s {
	case OK:
		return "✓"
	case Fail:
		return "✗"
	}
	return "!"
}

// Report is everything the doctor found, in the order it checked.
type Report struct {
	// OK is true when everything the CLI needs matched (no check failed).
	OK       bool      `json:"ok"`
	Version  string    `json:"version"`
	Sections []Section `json:"sections"`
}

// Section is one group of checks: configuration, connection, session, endpoints, write.
type Section struct {
	Name   string  `json:"name"`
	Checks []Check `json:"checks"`
}

// Check is one line of the checklist and what it found.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Summary says what was found, with no value of the user's or the server's in it.
	Summary string `json:"summary"`
	// Value is what is particular to this user (a profile name, an API URL, an organization,
	// a key's ID to delete by hand): shown on the checklist and in -o json, never in a report.
	Value string `json:"value,omitempty"`
	// Details are the lines below the check (no values either).
	Details []string `json:"details,omitempty"`
	// Error is the error the check met, as the CLI would word it (it may quote the server):
	// never in a report.
	Error string `json:"error,omitempty"`
	// Fix says which assumption to correct and where, for a check that failed or warned.
	Fix string `json:"fix,omitempty"`
	// Endpoint is what one request found, for the endpoint checks.
	Endpoint *Endpoint `json:"endpoint,omitempty"`
}

// Endpoint is one request and the shape of its answer.
type Endpoint struct {
	Method string `json:"method"`
	// Path has the organization and key IDs replaced by {org} and {id}.
	Path     string `json:"path"`
	Status   int    `json:"status"`
	Expected int    `json:"expectedStatus"`
	// Shape is the answer's form, envelope and fields, names only.
	Shape *jmapcloud.Shape `json:"shape,omitempty"`
	// Listed and Stated are, for the key list, the keys on the first page and the total it
	// stated (0: none); PageSize is the size apikeys asked for.
	Listed   int `json:"listed,omitempty"`
	Stated   int `json:"stated,omitempty"`
	PageSize int `json:"pageSize,omitempty"`
}

// Redacted is the report for a bug report: field names, types, status codes and shapes. Each
// check keeps its name, status, summary, details and fix (which name fields, never their
// values); its value and error go, since they may hold an organization, an email, a key's ID
// or the server's words.
func (r Report) Redacted() Report {
	out := Report{OK: r.OK, Version: r.Version}
	for _, s := range r.Sections {
		rs := Section{Name: s.Name}
		for _, c := range s.Checks {
			c.Value, c.Error = "", ""
			c.Details = append([]string(nil), c.Details...)
			rs.Checks = append(rs.Checks, c)
		}
		out.Sections = append(out.Sections, rs)
	}
	return out
}

// Failed lists the checks that failed, as "section: name".
func (r Report) Failed() []string {
	var out []string
	for _, s := range r.Sections {
		for _, c := range s.Checks {
			if c.Status == Fail {
				out = append(out, s.Name+": "+c.Name)
			}
		}
	}
	return out
}

// section collects the checks of one section as they are made.
type section struct {
	Section
}

func (s *section) add(c Check) *Check {
	s.Checks = append(s.Checks, c)
	return &s.Checks[len(s.Checks)-1]
}
