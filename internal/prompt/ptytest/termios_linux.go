package ptytest

import "golang.org/x/sys/unix"

// ioctlInputQueued asks how many bytes wait in a terminal's input queue.
const ioctlInputQueued = unix.TIOCINQ

// makeInputRaw turns off canonical input, echo and signal keys on the
// terminal fd, the same flags a prompt library turns off when it starts
// reading keys; output processing is left alone.
func makeInputRaw(fd int) error {
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG
	tio.Cc[unix.VMIN] = 1
	tio.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, tio)
}
