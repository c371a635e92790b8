//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package ptytest

import "golang.org/x/sys/unix"

// ioctlInputQueued asks how many bytes wait in a terminal's input queue:
// FIONREAD, _IOR('f', 127, int), which x/sys/unix does not name on BSDs.
const ioctlInputQueued = 0x4004667f

// makeInputRaw turns off canonical input, echo and signal keys on the
// terminal fd, the same flags a prompt library turns off when it starts
// reading keys; output processing is left alone.
func makeInputRaw(fd int) error {
	tio, err := unix.IoctlGetTermios(fd, unix.TIOCGETA)
	if err != nil {
		return err
	}
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG
	tio.Cc[unix.VMIN] = 1
	tio.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(fd, unix.TIOCSETA, tio)
}
