package prompt

// colorless is the prompt terminal with colour removed: it drops the Select Graphic
// Rendition sequences (ESC [ … m) the prompt library draws its colours with and passes
// everything else, the cursor movements and queries a prompt needs included. Filtering what
// is written, rather than switching the library's colour off, leaves no process-wide
// setting behind (the library's switch is a global, and its templates are cached with the
// first colour choice made).
type colorless struct {
	FileWriter
	pending []byte // an escape sequence begun in one Write, not finished
}

const escape = '\x1b'

// Write writes p without its colour sequences. A sequence cut at the end of p is held until
// the next Write completes it. It reports len(p) when everything kept was written.
func (c *colorless) Write(p []byte) (int, error) {
	data := p
	if len(c.pending) > 0 {
		c.pending = append(c.pending, p...)
		data, c.pending = c.pending, nil
	}
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		if data[i] != escape {
			out = append(out, data[i])
			i++
			continue
		}
		end, complete := csiEnd(data[i:])
		if !complete {
			c.pending = append([]byte(nil), data[i:]...)
			break
		}
		if end == 0 { // an escape that starts no control sequence: kept as it is
			out = append(out, escape)
			i++
			continue
		}
		if seq := data[i : i+end]; seq[len(seq)-1] != 'm' {
			out = append(out, seq...)
		}
		i += end
	}
	if _, err := c.FileWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// csiEnd measures the control sequence at the start of b (which starts with ESC): its
// length, or 0 when ESC is not followed by "[", and whether b holds all of it.
func csiEnd(b []byte) (int, bool) {
	if len(b) < 2 {
		return 0, false
	}
	if b[1] != '[' {
		return 0, true
	}
	for i := 2; i < len(b); i++ {
		switch c := b[i]; {
		case c >= 0x20 && c <= 0x3f: // parameter and intermediate bytes
		case c >= 0x40 && c <= 0x7e: // the final byte
			return i + 1, true
		default: // not a control sequence after all
			return 0, true
		}
	}
	return 0, false
}
