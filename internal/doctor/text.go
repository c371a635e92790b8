package doctor

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// sectionTitle is the heading of a section of the checklist.
func sectionTitle(p *l10n.Printer, name string) string {
	switch name {
	case "configuration":
		return p.Text("Configuration")
	case "connection":
		return p.Text("Connection")
	case "session":
		return p.Text("Session")
	case "endpoints":
		return p.Text("Endpoints")
	case "write":
		return p.Text("Write (--write)")
	}
	return name
}

// WriteText prints r as the checklist: a heading per section, one line per check (its mark,
// its name, what it found), the details, the error and the fix indented below it, and a
// last line that says whether apikeys can work with this server. Every text is sanitised:
// server names and errors reach the terminal as visible characters only.
func WriteText(w io.Writer, r Report) error { return WriteTextIn(w, nil, r) }

// WriteTextIn is WriteText in p's language: the headings, the labels and the verdict. The
// checks' own words are those of the report, which -o json prints too, and stay English.
func WriteTextIn(w io.Writer, p *l10n.Printer, r Report) error {
	var b strings.Builder
	for i, s := range r.Sections {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(sectionTitle(p, s.Name) + "\n")
		for _, c := range s.Checks {
			writeCheck(&b, p, c)
		}
	}
	b.WriteString("\n")
	if r.OK {
		b.WriteString(p.Text("Everything apikeys needs matched.\n"))
	} else {
		p.Fprintf(&b, "Not everything apikeys needs matched (%d ✗): each says what to correct.\n", len(r.Failed()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCheck(b *strings.Builder, p *l10n.Printer, c Check) {
	value := c.Value
	if c.Name == say("session store") {
		value = localize(p, value) // where the session is kept: the command's words
	}
	var found []string
	for _, s := range []string{value, localize(p, c.Summary)} {
		if s != "" {
			found = append(found, s)
		}
	}
	line := "  " + c.Status.Mark() + " " + localize(p, c.Name)
	if len(found) > 0 {
		line = p.Sprintf("%s: %s", line, strings.Join(found, " — "))
	}
	b.WriteString(sanitize.Text(line) + "\n")
	for _, d := range c.Details {
		b.WriteString("      " + sanitize.Text(localize(p, d)) + "\n")
	}
	writeLines(b, p.Text("error: "), localize(p, c.Error))
	writeLines(b, p.Text("fix: "), localize(p, c.Fix))
}

// writeLines writes text's lines under a check, the first after label, the others aligned.
func writeLines(b *strings.Builder, label, text string) {
	if text == "" {
		return
	}
	for i, line := range strings.Split(text, "\n") {
		prefix := strings.Repeat(" ", utf8.RuneCountInString(label))
		if i == 0 {
			prefix = label
		}
		b.WriteString("      " + prefix + sanitize.Text(line) + "\n")
	}
}
