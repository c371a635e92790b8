package testenv

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// SecretService is a Secret Service of one test package's own: a private D-Bus session bus
// (dbus-daemon) with an unlocked gnome-keyring-daemon on it, its keyrings in a temporary
// directory. Nothing reaches the keyring of the person running the tests.
type SecretService struct {
	// Address is the DBUS_SESSION_BUS_ADDRESS of the bus; empty when it is missing.
	Address string
	missing string
	dir     string
	procs   []*exec.Cmd
	exited  []chan struct{}
}

// secretServiceTimeout bounds the start of the bus and the keyring on a loaded machine.
const secretServiceTimeout = 60 * time.Second

// IsolateDBus unsets what would lead the code under test to the session bus of the person
// running the tests (DBUS_SESSION_BUS_ADDRESS, and XDG_RUNTIME_DIR whose bus socket D-Bus
// clients look for): call it from TestMain of a package that saves sessions.
func IsolateDBus() {
	os.Unsetenv("DBUS_SESSION_BUS_ADDRESS")
	os.Setenv("XDG_RUNTIME_DIR", filepath.Join(os.TempDir(), "apikeys-test-no-runtime-dir"))
}

var (
	secretServiceOnce sync.Once
	secretService     *SecretService
)

// SharedSecretService starts the package's Secret Service on first use (see
// StartSecretService) and returns it; StopSharedSecretService, from TestMain after m.Run,
// ends it. The process's DBUS_SESSION_BUS_ADDRESS is not changed: give Address to the code
// under test.
func SharedSecretService() *SecretService {
	secretServiceOnce.Do(func() { secretService = StartSecretService() })
	return secretService
}

// StopSharedSecretService ends the Secret Service SharedSecretService started, if any.
func StopSharedSecretService() {
	if secretService != nil {
		secretService.Stop()
	}
}

// StartSecretService starts dbus-daemon on a socket in a temporary directory, with no
// service activation (so that nothing but the keyring started here can own the Secret
// Service's name), then `gnome-keyring-daemon --foreground --unlock --components=secrets`,
// and waits until secret-tool can store a secret. When a tool is missing or fails, Address
// is empty and RequireSecretService says why.
func StartSecretService() *SecretService {
	k := &SecretService{}
	for _, tool := range []struct{ cmd, pkg string }{
		{"dbus-daemon", "dbus-daemon"}, {"gnome-keyring-daemon", "gnome-keyring"}, {"secret-tool", "libsecret-tools"},
	} {
		if _, err := exec.LookPath(tool.cmd); err != nil {
			k.missing = fmt.Sprintf("%s (install %s)", tool.cmd, tool.pkg)
			return k
		}
	}
	if err := k.start(); err != nil {
		k.missing = "a working Secret Service: " + err.Error()
		k.Stop()
		k.Address = ""
	}
	return k
}

func (k *SecretService) start() error {
	dir, err := os.MkdirTemp("", "apikeys-keyring-")
	if err != nil {
		return err
	}
	k.dir = dir
	for _, sub := range []string{"home", "data", "run"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			return err
		}
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(busConfig(filepath.Join(dir, "bus"))), 0o600); err != nil {
		return err
	}
	addr, err := k.startBus(conf)
	if err != nil {
		return err
	}
	k.Address = addr
	keyring := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	keyring.Env = k.Env()
	keyring.Stdin = strings.NewReader("test-keyring-password")
	if err := k.run(keyring); err != nil {
		return fmt.Errorf("gnome-keyring-daemon: %v", err)
	}
	return k.waitReady()
}

// busConfig is a session bus that listens on socket, lets everyone do everything (it is
// the test's own) and activates no service.
func busConfig(socket string) string {
	return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=` + socket + `</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`
}

// startBus runs dbus-daemon and reads the address it prints on the pipe given as fd 3.
func (k *SecretService) startBus(conf string) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	bus := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=3")
	bus.ExtraFiles = []*os.File{w}
	err = k.run(bus)
	w.Close()
	if err != nil {
		return "", fmt.Errorf("dbus-daemon: %v", err)
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(l)
	}()
	select {
	case addr := <-line:
		if addr == "" {
			return "", errors.New("dbus-daemon exited without an address")
		}
		return addr, nil
	case <-time.After(secretServiceTimeout):
		return "", fmt.Errorf("dbus-daemon announced no address within %v", secretServiceTimeout)
	}
}

// run starts cmd, killed with the test binary (Pdeathsig) and by Stop.
func (k *SecretService) run(cmd *exec.Cmd) error {
	cmd.SysProcAttr = xvfbSysProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	k.procs = append(k.procs, cmd)
	k.exited = append(k.exited, exited)
	return nil
}

// waitReady polls until secret-tool stores and reads back a secret.
func (k *SecretService) waitReady() error {
	deadline := time.Now().Add(secretServiceTimeout)
	for {
		store := exec.Command("secret-tool", "store", "--label", "apikeys test probe", "service", "apikeys-testenv", "username", "probe")
		store.Env = k.Env()
		store.Stdin = strings.NewReader("probe")
		out, err := store.CombinedOutput()
		if err == nil {
			if got, err := k.Lookup("apikeys-testenv", "probe"); err == nil && got == "probe" {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the keyring did not answer within %v: %v %s", secretServiceTimeout, err, strings.TrimSpace(string(out)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Env is the environment of a process that uses this Secret Service: PATH, a HOME and XDG
// directories of its own, and DBUS_SESSION_BUS_ADDRESS.
func (k *SecretService) Env() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(k.dir, "home"),
		"XDG_DATA_HOME=" + filepath.Join(k.dir, "data"),
		"XDG_RUNTIME_DIR=" + filepath.Join(k.dir, "run"),
		"DBUS_SESSION_BUS_ADDRESS=" + k.Address,
	}
}

// Lookup is what `secret-tool lookup service SERVICE username ACCOUNT` reads: the keyring
// as a tool other than the code under test sees it. A missing secret is an error.
func (k *SecretService) Lookup(service, account string) (string, error) {
	cmd := exec.Command("secret-tool", "lookup", "service", service, "username", account)
	cmd.Env = k.Env()
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return "", fmt.Errorf("secret-tool lookup %s %s: %v %s", service, account, err, strings.TrimSpace(string(exit.Stderr)))
	}
	return string(out), err
}

// Stop ends the keyring and the bus and removes their directory.
func (k *SecretService) Stop() {
	for i := len(k.procs) - 1; i >= 0; i-- {
		if k.procs[i].Process != nil {
			_ = k.procs[i].Process.Kill()
			<-k.exited[i]
		}
	}
	k.procs, k.exited = nil, nil
	if k.dir != "" {
		os.RemoveAll(k.dir)
	}
}

// RequireSecretService skips the test, or fails it under APIKEYS_REQUIRE_REAL_TOOLS=1,
// when the package has no Secret Service of its own.
func (k *SecretService) RequireSecretService(t testing.TB) {
	t.Helper()
	Require(t, k.missing, k.Address != "")
}
