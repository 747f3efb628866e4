package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"parktwin/web/auth"
)

// loadTokens reads a gateway tokens file: one "name token" per line,
// blank lines and lines starting with # ignored. After the token a line
// may name the enterprises (ENT-…) and sensors (SEN-…) whose readings
// the gateway may send; a line naming none may send any sensor's.
func loadTokens(path string) ([]auth.GatewayToken, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tokens := map[string]string{}
	var out []auth.GatewayToken
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: want 'name token [ENT-… SEN-…]', got %d fields", path, n, len(fields))
		}
		if len(fields[1]) < 16 {
			return nil, fmt.Errorf("%s:%d: the token of %s is shorter than 16 characters", path, n, fields[0])
		}
		if _, dup := tokens[fields[1]]; dup {
			return nil, fmt.Errorf("%s:%d: the token of %s is used twice", path, n, fields[0])
		}
		tokens[fields[1]] = fields[0]
		g := auth.GatewayToken{Name: fields[0], Token: fields[1]}
		for _, f := range fields[2:] {
			switch {
			case strings.HasPrefix(f, "ENT-"):
				g.Enterprises = append(g.Enterprises, f)
			case strings.HasPrefix(f, "SEN-"):
				g.Sensors = append(g.Sensors, f)
			default:
				return nil, fmt.Errorf("%s:%d: %s is neither an enterprise (ENT-…) nor a sensor (SEN-…)", path, n, f)
			}
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("%s: no tokens", path)
	}
	return out, nil
}

// newToken makes a random token for a gateway.
func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// tokenFile returns the token kept in the file at path, or, when there is
// no such file, makes one and keeps it there, readable by its owner only,
// so that a restart keeps the gateways working. made says which. The file
// holds the token alone, without a newline.
func tokenFile(path string) (tok string, made bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		tok = strings.TrimSpace(string(b))
		if len(tok) < 16 || strings.ContainsAny(tok, " \t\r\n") {
			return "", false, fmt.Errorf("%s holds no token; remove it and parkd makes a new one", path)
		}
		return tok, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, err
	}
	tok = newToken()
	// Written whole or not at all: a file beside it (mode 0600), renamed.
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".*")
	if err != nil {
		return "", false, err
	}
	defer os.Remove(f.Name()) // nothing left there after the rename
	if _, err := f.WriteString(tok); err != nil {
		f.Close()
		return "", false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", false, err
	}
	if err := f.Close(); err != nil {
		return "", false, err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return "", false, err
	}
	// The rename itself survives a crash once the directory is synced.
	d, err := os.Open(dir)
	if err != nil {
		return "", false, err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return "", false, fmt.Errorf("sync %s: %w", dir, err)
	}
	return tok, true, nil
}

// fingerprint names a token in the log without giving it away: the first
// 8 hex digits of its SHA-256.
func fingerprint(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:4])
}
