package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"parktwin/twin/bolt"
)

// subcommand runs parkd's subcommands (verify, backup, restore); ok is
// false when args name none, and parkd serves.
func subcommand(ctx context.Context, args []string, getenv func(string) string, out io.Writer) (ok bool, err error) {
	if len(args) == 0 {
		return false, nil
	}
	switch args[0] {
	case "verify":
		return true, verifyCmd(args[1:], getenv, out)
	case "backup":
		return true, backupCmd(ctx, args[1:], getenv, out)
	case "restore":
		return true, restoreCmd(args[1:], getenv, out)
	}
	return false, nil
}

// opsFlags is the flag set of a subcommand, with --db.
func opsFlags(name string, getenv func(string) string, out io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("parkd "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	def := getenv("PARKD_DB")
	if def == "" {
		def = "parktwin.db"
	}
	return fs, fs.String("db", def, "bbolt database file (PARKD_DB)")
}

// verifyCmd checks a database file no server holds: bbolt's own
// consistency check, then the audit trail link by link.
func verifyCmd(args []string, getenv func(string) string, out io.Writer) error {
	fs, db := opsFlags("verify", getenv, out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("verify: unexpected argument %q", fs.Arg(0))
	}
	st, err := verifyFile(*db)
	if err != nil {
		if errors.Is(err, bolt.ErrLocked) {
			return fmt.Errorf("verify: %w; verify a copy instead (parkd backup FILE, then parkd verify --db FILE)", err)
		}
		return fmt.Errorf("verify: %w", err)
	}
	sums := fmt.Sprintf("every value's checksum holds (%d values in %d buckets)", st.values.Values, st.values.Buckets)
	if !st.values.Sealed {
		sums = fmt.Sprintf("its %d values carry no checksums yet (a file from before them: parkd adds them when it next opens it)", st.values.Values)
	}
	anchor := "no key beside the file: the head is not checked against one"
	if st.anchored {
		anchor = "its head anchored by " + auditKeyPath(*db)
	}
	fmt.Fprintf(out, "%s: consistent; %s; audit trail sound: %d entries vouching for %d events; head %s; %s\n",
		*db, sums, st.Entries, st.Events, st.Head, anchor)
	return nil
}

// verified is what verifyFile found in a sound file.
type verified struct {
	bolt.ChainStatus
	values   bolt.ValueStatus
	anchored bool // the head's anchor holds under the key beside the file
}

// verifyFile checks the file at path: bbolt's check of its pages, every
// value against its checksum, the audit trail link by link. The error
// names what is wrong: every value whose checksum fails (with its bucket
// and key), or a *bolt.ChainError for the first broken link of the trail.
func verifyFile(path string) (verified, error) {
	if _, err := os.Stat(path); err != nil {
		return verified{}, err
	}
	db, err := bolt.OpenReadOnly(path)
	if err != nil {
		return verified{}, err
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		return verified{}, fmt.Errorf("%s: %w: %w", path, bolt.ErrDamaged, err)
	}
	var v verified
	if v.values, err = db.VerifyValues(); err != nil {
		return v, err // names the file, and every bucket and key
	}
	if v.ChainStatus, err = db.VerifyAudit(); err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	// The chain's hashes can be computed by anyone who can write the
	// file; the anchor only with the key beside it (when there is one:
	// a copy elsewhere has none, and is checked by its chain alone).
	key, err := readAuditKey(path)
	if err != nil {
		return v, err
	}
	if key != nil {
		if err := db.VerifyAnchor(key); err != nil {
			return v, fmt.Errorf("%w: the trail was rewritten by someone without the key %s, or the key is another file's", err, auditKeyPath(path))
		}
		v.anchored = true
	}
	return v, nil
}

// backupCmd copies the database to a file: from a running server through
// POST /api/v1/admin/backup (its hot copy), or with --db from a file no
// server holds. The copy is verified before it takes its name.
func backupCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	fs, db := opsFlags("backup", getenv, out)
	addr := getenv("PARKD_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	url := fs.String("url", "http://"+addr, "the running server to copy from, unless --db is given (PARKD_ADDR)")
	token := fs.String("token", getenv("PARKD_TOKEN"), "an administrator's bearer token for the server (PARKD_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: want one argument, the file to write")
	}
	dest := fs.Arg(0)
	fromFile := false
	fs.Visit(func(f *flag.Flag) { fromFile = fromFile || f.Name == "db" })
	tmp := dest + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp) // gone once renamed
	src := *url
	if fromFile {
		src = *db
		err = copyFile(*db, f)
	} else {
		err = download(ctx, strings.TrimSuffix(*url, "/")+"/api/v1/admin/backup", *token, f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := verifyFile(tmp)
	if err != nil {
		return fmt.Errorf("backup: the copy does not verify: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(out, "%s: copied from %s and verified: %d audit entries; head %s\n", dest, src, st.Entries, st.Head)
	return nil
}

func copyFile(path string, w io.Writer) error {
	db, err := bolt.OpenReadOnly(path)
	if err != nil {
		if errors.Is(err, bolt.ErrLocked) {
			return fmt.Errorf("%w; copy from the server instead (parkd backup --url URL FILE)", err)
		}
		return err
	}
	defer db.Close()
	_, err = db.WriteTo(w)
	return err
}

func download(ctx context.Context, url, token string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return fmt.Errorf("%s answered %s: %s", url, res.Status, b)
	}
	_, err = io.Copy(w, res.Body)
	return err
}

// restoreCmd puts a backup in place of the database, which no server may
// hold: the backup is verified first, and the file it replaces is kept
// beside it as FILE.before-restore. The console sessions the backup
// holds are not restored: one logged out since the backup was taken
// must not come back.
func restoreCmd(args []string, getenv func(string) string, out io.Writer) error {
	fs, db := opsFlags("restore", getenv, out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: want one argument, the backup to restore")
	}
	backup := fs.Arg(0)
	st, err := verifyFile(backup)
	if err != nil {
		return fmt.Errorf("restore: the backup does not verify: %w", err)
	}
	if _, err := os.Stat(*db); err == nil {
		// Held by a server, the file may not be replaced under it.
		cur, err := bolt.OpenReadOnly(*db)
		if err != nil && errors.Is(err, bolt.ErrLocked) {
			return fmt.Errorf("restore: %w: stop it first", err)
		}
		if err == nil {
			cur.Close()
		}
	}
	tmp := *db + ".restore.tmp"
	if err := copyPlain(backup, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	if err := forgetSessions(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Stat(*db); err == nil {
		if err := os.Rename(*db, *db+".before-restore"); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp, *db); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(out, "%s: restored from %s (%d audit entries; head %s)\n", *db, backup, st.Entries, st.Head)
	return nil
}

// forgetSessions deletes the console sessions kept in the file at path.
func forgetSessions(path string) error {
	db, err := bolt.Open(path)
	if err != nil {
		return err
	}
	r, err := db.Records("sessions")
	if err == nil {
		err = r.Clear()
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("forget the sessions of the backup: %w", err)
	}
	return nil
}

// copyPlain copies a file byte for byte and syncs the copy.
func copyPlain(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
