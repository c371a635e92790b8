//go:build !unix && !windows

package config

import "os"

// tryLock cannot lock on this system: concurrent apikeys processes are not serialised.
func tryLock(*os.File) (bool, error) { return false, nil }

func unlockFile(*os.File) error { return nil }
