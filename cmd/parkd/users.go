package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"os"

	"parktwin/twin/bolt"
	"parktwin/web/auth"
)

// openAuth opens the users, tokens and console sessions kept in the
// park's file (the sessions by the SHA-256 of their IDs) and, on the
// first start, makes the administrator: with the password in
// --admin-password-file, or with a random one written to stderr once and
// kept in <db>.admin-password, readable by its owner only.
func openAuth(ctx context.Context, cfg config, adminPassword *string, db *bolt.DB, gateways []auth.GatewayToken, stderr io.Writer, log *slog.Logger) (*auth.Service, error) {
	users, err := db.Records("users")
	if err != nil {
		return nil, err
	}
	tokens, err := db.Records("tokens")
	if err != nil {
		return nil, err
	}
	sessions, err := db.Records("sessions")
	if err != nil {
		return nil, err
	}
	svc, err := auth.Open(auth.Config{Users: users, Tokens: tokens, Sessions: sessions, Idle: cfg.sessionIdle, Gateways: gateways, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.db, err)
	}
	if !svc.Empty() {
		return svc, nil
	}
	if adminPassword != nil { // read from --admin-password-file at start-up
		if _, err := svc.FirstAdmin(ctx, *adminPassword); err != nil {
			return nil, fmt.Errorf("admin password in %s: %w", cfg.adminPassword, err)
		}
		log.Info("made the administrator with the password in its file", "user", auth.AdminName, "file", cfg.adminPassword)
		return svc, nil
	}
	pw := randomPassword()
	path := cfg.db + ".admin-password"
	// Kept first: a password shown but lost with the file would leave no
	// way in.
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("admin password: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil { // an old file keeps its mode through WriteFile
		return nil, fmt.Errorf("admin password: %w", err)
	}
	if _, err := svc.FirstAdmin(ctx, pw); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "\nparkd: first start: log in as %q with the password\n\n    %s\n\nIt is shown this once and kept in %s (readable by you alone); change it after logging in.\n\n",
		auth.AdminName, pw, path)
	return svc, nil
}

// randomPassword makes the first administrator's password: 18 random
// bytes, 24 characters.
func randomPassword() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
