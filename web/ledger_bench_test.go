package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"parktwin/web"
	"parktwin/web/auth"
)

// BenchmarkLedgerHTTP: 16 keepers posting to POST
// /api/v1/warehouses/{id}/ledger over HTTP on a real server and bbolt
// file (docs/performance.md, the warehouses' ledger): lines=1 one entry a
// request, each waited for; lines=50 documents of 50 lines (an array),
// all or none. One op is one entry; every entry is acknowledged (201)
// only once durable.
func BenchmarkLedgerHTTP(b *testing.B) {
	for _, lines := range []int{1, 50} {
		b.Run(fmt.Sprintf("keepers=16/lines=%d", lines), func(b *testing.B) {
			base, _, _ := startServerConfig(b, func(*web.Config) {})
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
			token := "Bearer " + roleToken(b, base, auth.NewToken{Name: "库管", Role: auth.Keeper,
				Warehouses: []string{"WH-01", "WH-02", "WH-03", "WH-04"}})
			post := func(wh, body string) error {
				req, err := http.NewRequest("POST", base+"/api/v1/warehouses/"+wh+"/ledger", strings.NewReader(body))
				if err != nil {
					return err
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", token)
				res, err := client.Do(req)
				if err != nil {
					return err
				}
				defer res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					msg, _ := io.ReadAll(res.Body)
					return fmt.Errorf("%d %s", res.StatusCode, msg)
				}
				_, err = io.Copy(io.Discard, res.Body)
				return err
			}
			for i := range 4 { // boom enough that no issue is short
				if err := post(fmt.Sprintf("WH-%02d", i+1), `{"op":"receive","type":"boom","quantity":1000000,"lot":"BENCH"}`); err != nil {
					b.Fatal(err)
				}
			}
			receipt, issue := `{"op":"receive","type":"boom","quantity":1,"lot":"BENCH"}`, `{"op":"issue","type":"boom","quantity":1,"to":"TEAM-01"}`
			doc := receipt
			if lines > 1 {
				ls := make([]string, lines)
				for i := range ls {
					ls[i] = receipt
					if i%2 == 1 {
						ls[i] = issue
					}
				}
				doc = "[" + strings.Join(ls, ",") + "]"
			}
			var asked, entered atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			for k := range 16 {
				wg.Go(func() {
					for i := k; ; i++ {
						if asked.Add(int64(lines)) > int64(b.N)+int64(lines)-1 {
							return
						}
						body := doc
						if lines == 1 && i%2 == 1 {
							body = issue
						}
						if err := post(fmt.Sprintf("WH-%02d", i%4+1), body); err != nil {
							b.Error(err)
							return
						}
						entered.Add(int64(lines))
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(entered.Load())/b.Elapsed().Seconds(), "entries/s")
		})
	}
}
