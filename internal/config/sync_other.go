//go:build !unix

package config

// syncDir does nothing where directories cannot be opened for syncing (Windows): the
// rename itself is atomic there too.
func syncDir(string) error { return nil }
