package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// loadTokens reads a gateway tokens file: one "name token" per line,
// blank lines and lines starting with # ignored. It returns token → name.
func loadTokens(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tokens := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want 'name token', got %d fields", path, n, len(fields))
		}
		if len(fields[1]) < 16 {
			return nil, fmt.Errorf("%s:%d: the token of %s is shorter than 16 characters", path, n, fields[0])
		}
		if _, dup := tokens[fields[1]]; dup {
			return nil, fmt.Errorf("%s:%d: the token of %s is used twice", path, n, fields[0])
		}
		tokens[fields[1]] = fields[0]
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("%s: no tokens", path)
	}
	return tokens, nil
}

// newToken makes a random token for a gateway.
func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}
