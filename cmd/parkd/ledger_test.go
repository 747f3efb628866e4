package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Keepers post entries from many clients at once — receipts, and issues
// of the last SCBA sets, one at a time or as documents of five lines —
// and parkd is killed with SIGKILL in the middle. After a restart every
// entry that got a 201 is in the ledger, every document is there whole
// or not at all, and the stock the restarted parkd derives from its
// ledger agrees with it: every set issued is out, none twice.
func TestKillLosesNoLedgerEntry(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parktwin.db")
	p := startParkd(t, db, "PARKD_SIMULATE=false")

	var (
		mu    sync.Mutex
		acked = map[string]string{} // entry ID → op
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second, Transport: signer{http.DefaultTransport}}
	postEntry := func(body string) (string, bool) {
		res, err := client.Post(p.base+"/api/v1/warehouses/WH-01/ledger", "application/json", strings.NewReader(body))
		if err != nil {
			return "", false // parkd is gone
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var e struct {
			ID      string
			Entries []struct{ ID, Op string }
		}
		if res.StatusCode == 201 && json.Unmarshal(b, &e) == nil {
			if e.ID == "" { // a document: its entries' IDs
				var ids []string
				for _, x := range e.Entries {
					ids = append(ids, x.ID)
				}
				return strings.Join(ids, " "), true
			}
			return e.ID, true
		}
		return "", true
	}
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				op, body := "receive", `{"op":"receive","type":"boom","quantity":1,"from":"压测"}`
				if i%2 == 1 {
					op, body = "issue", fmt.Sprintf(`{"op":"issue","type":"scba","quantity":1,"to":"TEAM-%02d"}`, w%10+1)
				}
				if w%4 == 3 {
					// A quarter of the keepers post documents of five
					// lines: four receipts and an issue of a set, all
					// or none (the issue refused, nothing).
					doc := fmt.Sprintf(`{"op":"receive","type":"boom","quantity":1,"from":"压测","reason":"单据 %d-%d"}`, w, i)
					op, body = "document", "["+strings.Repeat(doc+",", 4)+
						fmt.Sprintf(`{"op":"issue","type":"scba","quantity":1,"to":"TEAM-%02d","reason":"单据 %d-%d"}]`, w%10+1, w, i)
				}
				ids, alive := postEntry(body)
				if !alive {
					return
				}
				for id := range strings.FieldsSeq(ids) {
					mu.Lock()
					acked[id] = op
					mu.Unlock()
				}
			}
		})
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 400 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	wg.Wait()
	if len(acked) < 400 {
		t.Fatalf("only %d entries acknowledged before the kill", len(acked))
	}

	p2 := startParkd(t, db, "PARKD_SIMULATE=false")
	var ledger struct {
		Entries []struct {
			ID      string   `json:"id"`
			Op      string   `json:"op"`
			Type    string   `json:"type"`
			Serials []string `json:"serials"`
			Reason  string   `json:"reason"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(get(t, p2.base+"/api/v1/warehouses/WH-01/ledger"), &ledger); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	issued := map[string]int{}
	docs := map[string]int{} // a document's reason → its lines in the ledger
	for _, e := range ledger.Entries {
		have[e.ID] = true
		if strings.HasPrefix(e.Reason, "单据 ") {
			docs[e.Reason]++
		}
		if e.Op == "issue" && e.Type == "scba" {
			for _, s := range e.Serials {
				issued[s]++
			}
		}
	}
	missing, issues := 0, 0
	for id, op := range acked {
		if !have[id] {
			missing++
		}
		if op == "issue" {
			issues++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged entries lost after SIGKILL", missing, len(acked))
	}
	for doc, n := range docs {
		if n != 5 {
			t.Errorf("document %s: %d of its 5 lines in the ledger after SIGKILL: a document is entered whole or not at all", doc, n)
		}
	}
	if len(docs) == 0 {
		t.Error("no document was entered before the kill")
	}
	for s, n := range issued {
		if n > 1 {
			t.Errorf("SCBA set %s issued %d times", s, n)
		}
	}
	var stock struct {
		Types []struct {
			Type string  `json:"type"`
			Out  float64 `json:"out"`
		} `json:"types"`
	}
	if err := json.Unmarshal(get(t, p2.base+"/api/v1/warehouses/WH-01/stock"), &stock); err != nil {
		t.Fatal(err)
	}
	for _, ts := range stock.Types {
		if ts.Type == "scba" && int(ts.Out) != len(issued) {
			t.Errorf("scba out after restart: %v, the ledger issued %d", ts.Out, len(issued))
		}
	}
	if issues == 0 {
		t.Error("no issue was acknowledged: the last sets were never contended")
	}
	t.Logf("%d entries acknowledged before SIGKILL (%d issues), %d in the ledger after restart, %d documents whole", len(acked), issues, len(ledger.Entries), len(docs))
}
