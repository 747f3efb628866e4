package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"parktwin/twin/bolt"
)

// auditKeyPath is where the key anchoring a database's audit trail is
// kept: beside it, not in it, so that one who can write the file alone
// cannot rewrite the trail unnoticed (twin/bolt/anchor.go).
func auditKeyPath(db string) string { return db + ".audit-key" }

// readAuditKey reads the key kept for db; nil when there is none.
func readAuditKey(db string) ([]byte, error) {
	b, err := os.ReadFile(auditKeyPath(db))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", auditKeyPath(db), err)
	}
	return key, nil
}

// anchorAudit has db anchor its audit trail with the key kept beside it,
// made (0600) on the first start that has none, which anchors the trail
// as it stands. A trail the key does not anchor is logged as an error and
// served unanchored: the park is still needed, and `parkd verify` keeps
// failing on it until it is looked into.
func anchorAudit(db *bolt.DB, path string, log *slog.Logger) error {
	key, err := readAuditKey(path)
	if err != nil {
		return err
	}
	first := key == nil
	if first {
		key = make([]byte, 32)
		rand.Read(key)
		kp := auditKeyPath(path)
		if err := os.WriteFile(kp, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return fmt.Errorf("audit key: %w", err)
		}
		if err := os.Chmod(kp, 0o600); err != nil { // an old file keeps its mode through WriteFile
			return fmt.Errorf("audit key: %w", err)
		}
		log.Info("made the key anchoring the audit trail", "file", kp)
	}
	if err := db.AnchorAudit(key, first); err != nil {
		log.Error("the audit trail is not anchored by its key: it may have been rewritten; run parkd verify on a backup", "err", err)
	}
	return nil
}
