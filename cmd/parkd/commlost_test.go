package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// A parkd process restarted after its sensors' timeout has passed raises
// at most one comm-lost alarm per enterprise (its gateway's), not one per
// sensor: the demo park with every sensor's staleAfterS at 5 s, the
// start-up grace at 2 s (a rules file), parkd down for longer than the
// timeout — the ten minutes of the issue, scaled. After the restart every
// gateway but ENT-0008's reports.
func TestRestartedParkdRaisesOneAlarmPerGateway(t *testing.T) {
	dir := t.TempDir()
	const staleS, deadEnt = 5, "ENT-0008"

	// The park file: the demo park with quick timeouts.
	tw, err := twin.Open(twin.Config{Clock: twin.WallClock{}})
	if err != nil {
		t.Fatal(err)
	}
	es := demo.Generate(1, 1)
	for _, e := range es {
		if s, ok := e.(*twin.Sensor); ok {
			s.StaleAfterS = staleS
		}
	}
	if _, err := tw.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	snap := tw.Snapshot()
	var file bytes.Buffer
	if err := twin.WriteCollection(&file, snap); err != nil {
		t.Fatal(err)
	}
	tw.Close()
	parkFile, rulesFile := filepath.Join(dir, "park.geojson"), filepath.Join(dir, "rules.yaml")
	os.WriteFile(parkFile, file.Bytes(), 0o600)
	rules, _ := os.ReadFile("../../twin/telemetry/rules.yaml")
	rules = bytes.Replace(rules, []byte("startupGrace: 5m"), []byte("startupGrace: 2s"), 1)
	os.WriteFile(rulesFile, rules, 0o600)

	// Each sensor's enterprise and a reading inside its limits.
	type sensor struct {
		id, ent string
		v       float64
	}
	var sensors []sensor
	for s := range twin.All[*twin.Sensor](snap) {
		lo, hi := 0.0, 1.0
		if s.Limits.L != nil {
			lo = *s.Limits.L
		}
		if s.Limits.H != nil {
			hi = *s.Limits.H
		} else if s.Limits.HH != nil {
			hi = *s.Limits.HH
		}
		ent := ""
		if e, ok := snap.Get(twin.KindOfID(s.Subject), s.Subject); ok {
			ent = twin.EnterpriseOf(e)
		}
		sensors = append(sensors, sensor{s.ID, ent, (lo + hi) / 2})
	}
	report := func(p *parkd, skip string) {
		t.Helper()
		var rs []string
		now := time.Now().UTC().Format(time.RFC3339Nano)
		for _, s := range sensors {
			if s.ent != skip || skip == "" {
				rs = append(rs, fmt.Sprintf(`{"sensor":%q,"t":%q,"value":%v}`, s.id, now, s.v))
			}
		}
		if status, b := postReadings(t, p, gatewayToken(t, p), `{"readings":[`+strings.Join(rs, ",")+`]}`); status != 200 {
			t.Fatalf("readings: %d %s", status, b)
		}
	}

	db := filepath.Join(dir, "parktwin.db")
	env := []string{"PARKD_SIMULATE=false", "PARKD_PARK=" + parkFile, "PARKD_RULES=" + rulesFile}
	p := startParkd(t, db, env...)
	report(p, "")
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	time.Sleep((staleS + 1) * time.Second) // down longer than every sensor's timeout
	p = startParkd(t, db, env[0], env[2])  // the park is in the file now
	// Reports every second through the grace and a timeout past it.
	for range 2 + staleS + 3 {
		report(p, deadEnt)
		time.Sleep(time.Second)
	}

	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Enterprise, Condition, Limit, State string
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(get(t, p.base+"/api/v1/alarms"), &fc); err != nil {
		t.Fatal(err)
	}
	per := map[string][]string{}
	for _, f := range fc.Features {
		if a := f.Properties; a.Condition == "comm-lost" {
			per[a.Enterprise] = append(per[a.Enterprise], f.ID+" "+a.Limit+" "+a.State)
		}
	}
	for ent, as := range per {
		if len(as) > 1 {
			t.Errorf("enterprise %q: %d comm-lost alarms, want at most one: %v", ent, len(as), as)
		}
	}
	if as := per[deadEnt]; len(as) != 1 || !strings.Contains(as[0], " gateway active") {
		t.Errorf("%s, whose gateway stays down: %v, want one active gateway alarm", deadEnt, as)
	}
	t.Logf("%d sensors, comm-lost alarms of %d enterprises after the restart", len(sensors), len(per))
}
