package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// parkd is a parkd this tool started, on a database of its own.
type parkd struct {
	cmd      *exec.Cmd
	dir      string
	base     string
	password string
	token    string // the gateway token it was given
	exited   chan struct{}
}

var addrPattern = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

// startParkd builds parkd (unless given) and starts it on a fresh
// database with the demo park at the scale asked, an administrator's
// password and a gateway token of its own.
func startParkd(ctx context.Context, cfg config, stderr io.Writer) (*parkd, error) {
	dir, err := os.MkdirTemp("", "consoleload-")
	if err != nil {
		return nil, err
	}
	p := &parkd{dir: dir, password: randomHex(12), token: randomHex(24), exited: make(chan struct{})}
	bin := cfg.parkd
	if bin == "" {
		bin = filepath.Join(dir, "parkd")
		fmt.Fprintln(stderr, "consoleload: building parkd")
		b := exec.CommandContext(ctx, "go", "build", "-o", bin, "parktwin/cmd/parkd")
		b.Stdout, b.Stderr = stderr, stderr
		if err := b.Run(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("go build parkd: %w", err)
		}
	}
	pw := filepath.Join(dir, "password")
	tokens := filepath.Join(dir, "gateways")
	if err := os.WriteFile(pw, []byte(p.password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(tokens, []byte("consoleload "+p.token+"\n"), 0o600); err != nil {
		return nil, err
	}
	p.cmd = exec.Command(bin,
		"--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "parktwin.db"),
		"--demo-scale", fmt.Sprint(cfg.scale), fmt.Sprintf("--simulate=%t", cfg.simulate),
		"--admin-password-file", pw, "--gateway-tokens", tokens)
	pr, pwr := io.Pipe()
	p.cmd.Stderr = pwr
	fmt.Fprintf(stderr, "consoleload: starting parkd, ×%d park, simulate=%t\n", cfg.scale, cfg.simulate)
	if err := p.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	go func() {
		p.cmd.Wait()
		pwr.Close()
		close(p.exited)
	}()
	found := make(chan string, 1)
	var log bytes.Buffer
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := addrPattern.FindStringSubmatch(sc.Text()); m != nil && len(found) == 0 {
				found <- m[1]
			} else if len(found) == 0 && log.Len() < 64<<10 {
				log.WriteString(sc.Text() + "\n")
			}
		}
	}()
	select {
	case addr := <-found:
		p.base = "http://" + addr
		return p, nil
	case <-p.exited:
		os.RemoveAll(dir)
		return nil, fmt.Errorf("parkd exited before serving:\n%s", log.String())
	case <-time.After(3 * time.Minute):
		p.stop(false)
		return nil, fmt.Errorf("parkd did not serve within 3 minutes")
	case <-ctx.Done():
		p.stop(false)
		return nil, ctx.Err()
	}
}

// stop ends parkd (SIGTERM, then a kill after 30 s) and removes its directory unless kept.
func (p *parkd) stop(keep bool) {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
	if !keep {
		os.RemoveAll(p.dir)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// apiClient calls parkd's API with a session (cookie and CSRF token).
type apiClient struct {
	base string
	hc   *http.Client
	csrf string
}

func login(ctx context.Context, base, user, password string) (*apiClient, error) {
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: base, hc: &http.Client{Jar: jar, Timeout: 5 * time.Minute}}
	body, _ := json.Marshal(map[string]string{"user": user, "password": password})
	var me struct{ CSRF string }
	if err := c.do(ctx, "POST", "/api/v1/login", "", body, &me); err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	c.csrf = me.CSRF
	return c, nil
}

// do sends a request (with a bearer token when given, else the session) and decodes a JSON answer into v.
func (c *apiClient) do(ctx context.Context, method, path, bearer string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	} else if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s %s", method, path, res.Status, strings.TrimSpace(string(b[:min(len(b), 400)])))
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(b, v)
}

// counts are how many tanks, sensors and alarms (of every state) the park holds.
func (c *apiClient) counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, layer := range []string{"tanks", "sensors", "alarms"} {
		var fc struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := c.do(ctx, "GET", "/api/v1/"+layer, "", nil, &fc); err != nil {
			return nil, err
		}
		out[layer] = len(fc.Features)
	}
	return out, nil
}
