package clipboard

import (
	"context"
	"crypto/subtle"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/k2geospatial/apikeys/internal/childenv"
	"github.com/k2geospatial/apikeys/internal/l10n"
)

const (
	// ClearCommand is the hidden subcommand of apikeys that ScheduleClear
	// runs; it must call RunClearer.
	ClearCommand = "__clear-clipboard"
	// FingerprintEnv carries the Fingerprint to the clearer. An environment
	// variable, unlike arguments, is not shown by ps to other users, and the
	// secret itself never leaves the parent process.
	FingerprintEnv = "APIKEYS_CLIPBOARD_FINGERPRINT"
)

// ScheduleClear starts a detached process (this executable, running
// ClearCommand --after AFTER) that clears the system clipboard after `after`
// if it then still holds the text whose Fingerprint is fp, and returns
// without waiting. The process has its own session and /dev/null for stdin,
// stdout and stderr, so it survives the command and its terminal. A zero or
// negative after schedules nothing.
func ScheduleClear(fp string, after time.Duration) error {
	if after <= 0 {
		return nil
	}
	cmd, err := clearerCmd(fp, after)
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return l10n.Errorf("start the clipboard clearer: %w", err)
	}
	// Reap it if this process lives that long (tests); the CLI exits first.
	go func() { _ = cmd.Wait() }()
	return nil
}

// clearerCmd prepares the clearer process without starting it.
func clearerCmd(fp string, after time.Duration) (*exec.Cmd, error) {
	if err := checkFingerprint(fp); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, l10n.Errorf("find the apikeys executable for the clipboard clearer: %w", err)
	}
	cmd := exec.Command(exe, ClearCommand, "--after", after.String())
	cmd.Env = clearerEnv(os.Environ(), fp)
	cmd.SysProcAttr = detached()
	// Stdin, Stdout and Stderr stay nil: the null device.
	return cmd, nil
}

// clearerEnv is the scrubbed env plus the fingerprint.
func clearerEnv(env []string, fp string) []string {
	return append(scrubbedEnv(env), FingerprintEnv+"="+fp)
}

// scrubbedEnv is env without any APIKEYS_ variable: the processes the
// clipboard starts (the clearer, and xclip, xsel or wl-copy, which stay behind
// to serve the selection) need none, and some hold credentials
// (APIKEYS_PASSWORD, APIKEYS_TOKEN) they would otherwise keep for their whole
// life.
func scrubbedEnv(env []string) []string { return childenv.Scrubbed(env) }

// RunClearer is the body of the hidden clearer command: it waits for
// `after` (or until ctx ends), then clears cb only if it still holds the text
// whose Fingerprint is fp, so that whatever the user copied since is left
// alone.
func RunClearer(ctx context.Context, cb Clipboard, fp string, after time.Duration) error {
	return runClearer(ctx, cb, fp, func(ctx context.Context) error { return sleep(ctx, after) })
}

// runClearer is RunClearer with the wait given: tests replace the timer with
// an event.
func runClearer(ctx context.Context, cb Clipboard, fp string, wait func(context.Context) error) error {
	if err := checkFingerprint(fp); err != nil {
		return err
	}
	if err := wait(ctx); err != nil {
		return err
	}
	current, err := cb.Read()
	if err != nil {
		return fmt.Errorf("read the clipboard: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(Fingerprint(current)), []byte(fp)) != 1 {
		return nil
	}
	if err := cb.Write(""); err != nil {
		return fmt.Errorf("clear the clipboard: %w", err)
	}
	return nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
