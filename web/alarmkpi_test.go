package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parktwin/twin"
	"parktwin/twin/telemetry"
	"parktwin/web/auth"
)

func getBody(t *testing.T, u, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// One sensor raised three times in 20 s (chattering), one of its alarms
// acknowledged over HTTP: the KPIs by shift and by day count three
// alarms, one acknowledged, one chatterer at the top of the bad actors,
// no flood; the export as CSV and as a workbook holds the same rows.
// The rules route serves the flood rule, to enterprise users too. Bad
// queries of the KPIs are refused with 422, an enterprise user with 403.
func TestAlarmKPIsOverHTTP(t *testing.T) {
	base, live, _ := startHostWith(t, "")
	tw := live.Twin()
	s := tempSensor(t, tw)
	now := tw.Clock().Now()
	var rs []telemetry.Reading
	for i := range 3 {
		at := now.Add(time.Duration(-50+10*i) * time.Second)
		rs = append(rs, telemetry.Reading{Sensor: s.ID, T: at, Value: *s.Limits.HH + 5},
			telemetry.Reading{Sensor: s.ID, T: at.Add(5 * time.Second), Value: *s.Limits.H - 20})
	}
	if _, rej, err := live.Monitor().Ingest(context.Background(), rs); err != nil || len(rej) > 0 {
		t.Fatalf("ingest: %v %v", rej, err)
	}
	var ids []string
	for a := range twin.All[*twin.Alarm](tw.Snapshot()) {
		if a.Sensor == s.ID && a.Condition == twin.High {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) != 3 {
		t.Fatalf("%d high alarms of %s, want 3", len(ids), s.ID)
	}
	officer := roleToken(t, base, auth.NewToken{Name: "值班员", Role: auth.DutyOfficer})
	if status, b := post(t, base+"/api/v1/alarms/"+ids[0]+"/ack", officer, ""); status != 200 {
		t.Fatalf("ack: %d %s", status, b)
	}
	if status, b := post(t, base+"/api/v1/alarms/"+ids[2]+"/shelve", officer, `{"durationS":3600,"reason":"振荡，待整定"}`); status != 200 {
		t.Fatalf("shelve: %d %s", status, b)
	}

	var rules struct {
		FloodThreshold int     `json:"floodThreshold"`
		FloodWindowS   float64 `json:"floodWindowS"`
		ChatterRaises  int     `json:"chatterRaises"`
		MaxShelveS     float64 `json:"maxShelveS"`
		Shifts         []struct{ Name, Start string }
	}
	status, b := getBody(t, base+"/api/v1/alarm-rules", "")
	if status != 200 || json.Unmarshal(b, &rules) != nil {
		t.Fatalf("alarm-rules: %d %s", status, b)
	}
	if rules.FloodThreshold != 10 || rules.FloodWindowS != 600 || rules.ChatterRaises != 3 || rules.MaxShelveS != 8*3600 ||
		len(rules.Shifts) != 3 || rules.Shifts[1].Start != "08:00" {
		t.Errorf("alarm-rules: %s", b)
	}

	q := url.Values{"from": {now.Add(-24 * time.Hour).Format(time.RFC3339)}, "to": {now.Add(time.Hour).Format(time.RFC3339)}}
	type kpi struct {
		Alarms, Acked, Chattering int
		AckMedianS                *float64
		FloodS                    float64
		BadActors                 []struct {
			Sensor string
			Alarms int
		}
		Shelved   int
		ShelvedS  float64
		Shelvings []struct{ Alarm, Sensor, By, Reason string }
	}
	for _, by := range []string{"shift", "day"} {
		q.Set("by", by)
		var ans struct {
			Periods    []kpi
			Total      kpi
			Floods     []any
			Chattering []struct {
				Sensor      string
				Alarms      int
				MaxInWindow int
			}
		}
		status, b := getBody(t, base+"/api/v1/alarm-kpis?"+q.Encode(), "")
		if status != 200 || json.Unmarshal(b, &ans) != nil {
			t.Fatalf("by %s: %d %s", by, status, b)
		}
		sum := 0
		for _, p := range ans.Periods {
			sum += p.Alarms
		}
		tot := ans.Total
		ackS := -1.0
		if tot.AckMedianS != nil {
			ackS = *tot.AckMedianS
		}
		// The demo park raises no other alarm with the simulator off.
		if tot.Alarms != 3 || sum != 3 || tot.Acked != 1 || tot.Chattering != 1 || tot.FloodS != 0 || len(ans.Floods) != 0 ||
			len(tot.BadActors) == 0 || tot.BadActors[0].Sensor != s.ID || tot.BadActors[0].Alarms != 3 ||
			ackS < 25 || ackS > 120 {
			t.Errorf("by %s: total %+v (ack median %v s), periods' alarms %d, floods %v", by, tot, ackS, sum, ans.Floods)
		}
		// The shelving, from now for the hour up to the range's end.
		if sh := tot.Shelvings; tot.Shelved != 1 || tot.ShelvedS < 3500 || tot.ShelvedS > 3600 || len(sh) != 1 ||
			sh[0].Alarm != ids[2] || sh[0].Sensor != s.ID || sh[0].By != "值班员" || sh[0].Reason != "振荡，待整定" {
			t.Errorf("by %s: shelved %d for %v s, shelvings %+v; want %s shelved by 值班员", by, tot.Shelved, tot.ShelvedS, sh, ids[2])
		}
		if len(ans.Chattering) != 1 || ans.Chattering[0].Sensor != s.ID || ans.Chattering[0].MaxInWindow != 3 {
			t.Errorf("by %s: chattering %+v", by, ans.Chattering)
		}
	}

	q.Set("format", "csv")
	status, b = getBody(t, base+"/api/v1/alarm-kpis?"+q.Encode(), "")
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	lastCSV := strings.Split(lines[len(lines)-1], ",")
	if status != 200 || !strings.HasPrefix(lines[0], "\ufeff日期 Day,") || !strings.HasPrefix(lines[len(lines)-1], "合计 Total,,") ||
		lastCSV[4] != "3" || len(lastCSV) != 18 || lastCSV[15] != "1" || !strings.Contains(lastCSV[17], ids[2]+" "+s.ID+" 值班员") ||
		!strings.Contains(lastCSV[17], "振荡，待整定") {
		t.Errorf("csv: %d\n%s", status, b)
	}
	q.Set("format", "xlsx")
	status, b = getBody(t, base+"/api/v1/alarm-kpis?"+q.Encode(), "")
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if status != 200 || err != nil {
		t.Fatalf("xlsx: %d %v", status, err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if last := rows[len(rows)-1]; len(rows) != len(lines) || last[0] != "合计 Total" || last[4] != "3" || len(last) != 18 ||
		last[15] != "1" || !strings.Contains(last[17], "振荡，待整定") {
		t.Errorf("xlsx rows %d (csv %d), last %v", len(rows), len(lines), rows[len(rows)-1])
	}

	ent := roleToken(t, base, auth.NewToken{Name: "企业", Role: auth.Enterprise, Enterprise: "ENT-0001"})
	for _, bad := range []struct {
		query, token string
		status       int
	}{
		{"by=week", "", 422},
		{"from=yesterday", "", 422},
		{"from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "", 422},
		{"from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", "", 422},
		{"format=pdf", "", 422},
		{"", ent, 403},
	} {
		if status, b := getBody(t, base+"/api/v1/alarm-kpis?"+bad.query, bad.token); status != bad.status || !strings.Contains(string(b), `"error"`) {
			t.Errorf("%q: %d %s, want %d with a JSON error", bad.query, status, b, bad.status)
		}
	}
	// The rules are figures, no park data: an enterprise's console reads
	// them too, to see a flood of its own alarms.
	if status, b := getBody(t, base+"/api/v1/alarm-rules", ent); status != 200 {
		t.Errorf("alarm-rules as an enterprise: %d %s", status, b)
	}
}
