package output

import "strconv"

// Plural counts noun for a person: "1 key", "3 keys" (English nouns whose plural adds "s").
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
