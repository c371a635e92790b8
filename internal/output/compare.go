package output

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// compareFold compares a and b case-insensitively (by simple lower-case
// mapping, rune by rune) without allocating, which matters when sorting
// 100k keys.
func compareFold(a, b string) int {
	// The bytes both texts share fold alike: skip them (titles of one kind, "Webhook relay
	// #12" and "Webhook relay #15", share most of theirs, and the sort compares such texts
	// when their dates tie), back to the start of the character they end in.
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	for i > 0 && (i < len(a) && !utf8.RuneStart(a[i]) || i < len(b) && !utf8.RuneStart(b[i])) {
		i-- // every byte that can start a character starts one where the decoding goes
	}
	a, b = a[i:], b[i:]
	for a != "" && b != "" {
		var ra, rb rune
		if c := a[0]; c < utf8.RuneSelf {
			ra, a = lowerASCII(rune(c)), a[1:]
		} else {
			r, n := utf8.DecodeRuneInString(a)
			ra, a = unicode.ToLower(r), a[n:]
		}
		if c := b[0]; c < utf8.RuneSelf {
			rb, b = lowerASCII(rune(c)), b[1:]
		} else {
			r, n := utf8.DecodeRuneInString(b)
			rb, b = unicode.ToLower(r), b[n:]
		}
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	default:
		return 1
	}
}

// compareText orders text case-insensitively, then case-sensitively, so
// "abc" and "ABC" are neighbours yet always in the same order.
func compareText(a, b string) int {
	if c := compareFold(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func lowerASCII(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// containsFold reports whether lowerSub (already lower-cased) occurs in s,
// ignoring case. ASCII text, the common case, is searched without
// allocating.
func containsFold(s, lowerSub string) bool {
	if lowerSub == "" {
		return true
	}
	if isASCII(s) && isASCII(lowerSub) {
		n := len(lowerSub)
		for i := 0; i+n <= len(s); i++ {
			j := 0
			for j < n && byte(lowerASCII(rune(s[i+j]))) == lowerSub[j] {
				j++
			}
			if j == n {
				return true
			}
		}
		return false
	}
	return strings.Contains(strings.ToLower(s), lowerSub)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
