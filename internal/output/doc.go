// Package output turns API keys and other typed rows into what a user or a
// script reads: it owns the one key vocabulary (column = sort key = filter
// field = JSON/YAML key = CSV header), the filter and sort languages, and the
// table, plain-text, JSON, YAML, CSV and TSV printers.
//
// Nothing here knows about cobra, flags or os.Stdout: every printer takes an
// io.Writer and explicit options, and every parser returns a *UsageError for
// input the user can fix, so the CLI can map it to exit code 2.
//
// # Machine output
//
// JSON, YAML, CSV, TSV and the plain (non-terminal) table show dates as
// RFC 3339 in UTC truncated to whole seconds, e.g. 2026-01-02T15:04:05Z. The
// API's sub-second digits carry no meaning for keys, and a fixed width keeps
// columns aligned and values easy to paste back into a filter. In PrintKeys a
// date that is not set (a zero time.Time) is null in JSON/YAML and empty in
// CSV, TSV and plain text; on a terminal an unset expiry reads "never" (such
// a key counts as active and sorts after every expiry).
//
// # Comparing values
//
// Sorting and filtering compare each field by its meaning: text fields (id,
// title, creator, email) case-insensitively, with a case-sensitive tiebreak so
// sorting stays deterministic; dates chronologically; role as editor < viewer;
// status as active < expiring < expired (by urgency). Values outside those
// sets sort after the known ones.
package output
