package output

import "strings"

// Format is an output format chosen with -o/--output.
type Format string

// The output formats. Table is a tablewriter table on a terminal and plain
// aligned text otherwise.
const (
	Table Format = "table"
	JSON  Format = "json"
	YAML  Format = "yaml"
	CSV   Format = "csv"
	TSV   Format = "tsv"
)

// FormatNames lists the formats -o accepts, for help text and completion.
func FormatNames() []string {
	return []string{string(Table), string(JSON), string(YAML), string(CSV), string(TSV)}
}

// ParseFormat reads an -o value, ignoring case; "" is Table and "yml" is
// YAML. Anything else is a *UsageError listing the formats.
func ParseFormat(s string) (Format, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "":
		return Table, nil
	case "yml":
		return YAML, nil
	case string(Table), string(JSON), string(YAML), string(CSV), string(TSV):
		return Format(v), nil
	}
	return "", usageErrorf("unknown output format %q (valid: %s)", s, strings.Join(FormatNames(), ", "))
}
