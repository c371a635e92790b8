package doctor

import (
	"fmt"
	"io"
	"strings"

	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// sectionTitle is the heading of a section of the checklist.
func sectionTitle(name string) string {
	switch name {
	case "configuration":
		return "Configuration"
	case "connection":
		return "Connection"
	case "session":
		return "Session"
	case "endpoints":
		return "Endpoints"
	case "write":
		return "Write (--write)"
	}
	return name
}

// WriteText prints r as the checklist: a heading per section, one line per check (its mark,
// its name, what it found), the details, the error and the fix indented below it, and a
// last line that says whether apikeys can work with this server. Every text is sanitised:
// server names and errors reach the terminal as visible characters only.
func WriteText(w io.Writer, r Report) error {
	var b strings.Builder
	for i, s := range r.Sections {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(sectionTitle(s.Name) + "\n")
		for _, c := range s.Checks {
			writeCheck(&b, c)
		}
	}
	b.WriteString("\n")
	if r.OK {
		b.WriteString("Everything apikeys needs matched.\n")
	} else {
		fmt.Fprintf(&b, "Not everything apikeys needs matched (%d ✗): each says what to correct.\n", len(r.Failed()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCheck(b *strings.Builder, c Check) {
	var found []string
	for _, s := range []string{c.Value, c.Summary} {
		if s != "" {
			found = append(found, s)
		}
	}
	line := "  " + c.Status.Mark() + " " + c.Name
	if len(found) > 0 {
		line += ": " + strings.Join(found, " — ")
	}
	b.WriteString(sanitize.Text(line) + "\n")
	for _, d := range c.Details {
		b.WriteString("      " + sanitize.Text(d) + "\n")
	}
	writeLines(b, "error: ", c.Error)
	writeLines(b, "fix: ", c.Fix)
}

// writeLines writes text's lines under a check, the first after label, the others aligned.
func writeLines(b *strings.Builder, label, text string) {
	if text == "" {
		return
	}
	for i, line := range strings.Split(text, "\n") {
		prefix := strings.Repeat(" ", len(label))
		if i == 0 {
			prefix = label
		}
		b.WriteString("      " + prefix + sanitize.Text(line) + "\n")
	}
}
