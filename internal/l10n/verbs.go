package l10n

import (
	"fmt"
	"strconv"
	"strings"
)

// argVerbs is the verb each argument of format is printed with, by argument index (Printf's
// rules: %% is no argument, %[n]v chooses the argument, * takes one for a width).
func argVerbs(format string) map[int]byte {
	verbs := map[int]byte{}
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		for i < len(format) && strings.IndexByte("0123456789.*[]", format[i]) >= 0 {
			switch format[i] {
			case '[':
				if end := strings.IndexByte(format[i:], ']'); end > 0 {
					if n, err := strconv.Atoi(format[i+1 : i+end]); err == nil {
						arg = n - 1
					}
					i += end
				}
			case '*':
				verbs[arg] = '*'
				arg++
			}
			i++
		}
		if i >= len(format) {
			break
		}
		verbs[arg] = format[i]
		arg++
	}
	return verbs
}

// keepQuoting gives the arguments that the English format quoted with %q and the French one
// prints with %s or %v (between « », French quotation marks) the escaping %q gave them, so
// that a value with a line break or a control character (a title from the server, say) reads
// the same in both languages and never starts a line of its own.
func keepQuoting(english, french string, args []any) {
	if !strings.Contains(english, "q") {
		return
	}
	en, fr := argVerbs(english), argVerbs(french)
	for i, a := range args {
		if en[i] != 'q' || (fr[i] != 's' && fr[i] != 'v') {
			continue
		}
		q := fmt.Sprintf("%q", a)
		if len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' {
			args[i] = q[1 : len(q)-1]
		}
	}
}
