package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/demo"
)

// A gateway's alarm in its panel: the demo park whose sensors time out
// after 2 s, with a start-up grace of 2 s, started with no gateway
// reporting, raises a comm-lost alarm per enterprise's gateway. Its panel
// names the enterprise as the gateway and says how many of its sensors
// are silent of how many — not a "sensor" or a "watched" subject — in
// Chinese and in English.
func TestGatewayAlarmPanel(t *testing.T) {
	dir := t.TempDir()
	tw, err := twin.Open(twin.Config{Clock: twin.WallClock{}})
	if err != nil {
		t.Fatal(err)
	}
	es := demo.Generate(1, 1)
	for _, e := range es {
		if s, ok := e.(*twin.Sensor); ok {
			s.StaleAfterS = 2
		}
	}
	if _, err := tw.Apply(context.Background(), twin.Creates(es...)...); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := twin.WriteCollection(&file, tw.Snapshot()); err != nil {
		t.Fatal(err)
	}
	tw.Close()
	parkFile, rulesFile := filepath.Join(dir, "park.geojson"), filepath.Join(dir, "rules.yaml")
	os.WriteFile(parkFile, file.Bytes(), 0o600)
	rules, _ := os.ReadFile("../../twin/telemetry/rules.yaml")
	rules = bytes.Replace(rules, []byte("startupGrace: 5m"), []byte("startupGrace: 2s"), 1)
	os.WriteFile(rulesFile, rules, 0o600)

	ctx := browser(t)
	errs := pageErrors(t, ctx)
	p := startParkd(t, filepath.Join(dir, "parktwin.db"), "PARKD_SIMULATE=false", "PARKD_PARK="+parkFile, "PARKD_RULES="+rulesFile)
	var fc struct {
		Features []struct {
			ID         string `json:"id"`
			Properties struct {
				Enterprise, Limit string
				Value, Threshold  float64
			} `json:"properties"`
		} `json:"features"`
	}
	id, ent, silent, total := "", "", 0.0, 0.0
	eventually(t, func() bool {
		json.Unmarshal(get(t, p.base+"/api/v1/alarms"), &fc)
		for _, f := range fc.Features {
			if a := f.Properties; a.Limit == "gateway" && strings.HasPrefix(a.Enterprise, "ENT-") {
				id, ent, silent, total = f.ID, a.Enterprise, a.Value, a.Threshold
				return true
			}
		}
		return false
	}, 30*time.Second)
	open(t, ctx, p.base+"/")
	waitJS(t, ctx, fmt.Sprintf(`window.parktwin && window.parktwin.ready === true && window.parktwin.feature("alarms", %q) != null`, id), 60*time.Second)

	for _, lang := range []string{"zh-CN", "en"} {
		eval[bool](t, ctx, fmt.Sprintf(`(import("/ui/i18n.js").then((m) => m.setLang(%q)), true)`, lang))
		waitJS(t, ctx, fmt.Sprintf(`document.documentElement.lang === %q`, lang), 5*time.Second)
		eval[bool](t, ctx, fmt.Sprintf(`(window.parktwin.select(%q), true)`, id))
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#details").dataset.id === %q && document.querySelector("#details table.props") !== null`, id), 10*time.Second)
		rows := eval[map[string]string](t, ctx, `Object.fromEntries([...document.querySelectorAll("#details table.props tr")].map((tr) => [tr.querySelector("th").textContent, tr.querySelector("td").textContent]))`)
		gw, silentLabel, count := "网关（企业）", "失联传感器", fmt.Sprintf("%.0f / %.0f 个传感器无数据", silent, total)
		unwanted := []string{"传感器", "监测对象", "越限", "阈值", "当前值"}
		if lang == "en" {
			gw, silentLabel, count = "Gateway (enterprise)", "Silent sensors", fmt.Sprintf("%.0f of %.0f sensors without data", silent, total)
			unwanted = []string{"Sensor", "Watches", "Limit", "Threshold", "Value"}
		}
		var labels []string
		for k := range rows {
			labels = append(labels, k)
		}
		if rows[gw] == "" || rows[gw] == ent || rows[silentLabel] != count {
			t.Errorf("%s: the gateway alarm %s of %s shows %q, want %s named and %q", lang, id, ent, rows, gw, count)
		}
		for _, u := range unwanted {
			if slices.Contains(labels, u) {
				t.Errorf("%s: the gateway alarm's panel has a row %q: %q", lang, u, rows)
			}
		}
	}
	noPageErrors(t, errs)
}
