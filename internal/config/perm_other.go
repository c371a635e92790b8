//go:build !unix

package config

import "os"

// ownerCheckable is false where Unix modes and owners do not describe who may write a file
// (Windows uses ACLs): checkOwnPath then checks nothing.
const ownerCheckable = false

func fileOwner(os.FileInfo) (int, bool) { return 0, false }

func currentUID() int { return -1 }
