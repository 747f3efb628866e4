package msg_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parktwin/twin/msg"
)

func TestRender(t *testing.T) {
	c := msg.Catalogue{
		"a":   {En: "{team} sends {what}", Zh: "{team}派出{what}"},
		"v":   {En: "vehicle {v}", Zh: "{v}", Enums: map[string]string{"v": "enum.vehicleType."}},
		"sep": {En: ", ", Zh: "、"},
	}
	m := msg.New("a", "team", "消防一中队", "what", []msg.Msg{msg.New("v", "v", "foam-tender"), msg.New("sep"), msg.New("v", "v", "ambulance")})
	for _, tc := range []struct{ lang, want string }{
		{msg.En, "消防一中队 sends vehicle foam-tender, vehicle ambulance"},
		{msg.Zh, "消防一中队派出foam-tender、ambulance"},
	} {
		if got := c.Render(tc.lang, m); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.lang, got, tc.want)
		}
	}
	// A message read back from JSON holds its nested messages as maps.
	b, _ := json.Marshal(m)
	var back msg.Msg
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := c.Render(msg.Zh, back), c.Render(msg.Zh, m); got != want {
		t.Errorf("read back from JSON: got %q, want %q", got, want)
	}
	if got := c.English(msg.New("nope")); got != "nope" {
		t.Errorf("an unknown code renders as %q", got)
	}
}

func TestCheckFindsUntranslated(t *testing.T) {
	for _, tc := range []struct {
		name string
		tp   msg.Template
		want string
	}{
		{"no Chinese", msg.Template{En: "waits at staging"}, "a language has no template"},
		{"English left in Chinese", msg.Template{En: "waits at staging", Zh: "waits at staging"}, "Latin word"},
		{"half translated", msg.Template{En: "{n} units wait", Zh: "{n} 辆 wait"}, "Latin word"},
		{"Chinese in English", msg.Template{En: "{n} 辆 wait", Zh: "{n} 辆待命"}, "Chinese in the English"},
		{"arguments differ", msg.Template{En: "{n} units wait at {road}", Zh: "{n} 辆待命"}, "English asks for"},
		{"enum not in the template", msg.Template{En: "{n} wait", Zh: "{n} 待命", Enums: map[string]string{"v": "x."}}, "not in the template"},
	} {
		errs := msg.Catalogue{"x": tc.tp}.Check()
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", tc.name, errs, tc.want)
		}
	}
	ok := msg.Catalogue{"x": {En: "{n} L of AFFF, GB 50151, {m} m", Zh: "{n} L AFFF 泡沫，GB 50151，{m} m"}}
	if errs := ok.Check(); len(errs) > 0 {
		t.Errorf("units and standards' names in Chinese: %v", errs)
	}
}

// TestRenderTimesAndDurations: an argument of kind time is written in
// Beijing time, one of kind duration in words — whether given as Go
// values, as JSON reads them back (text, seconds), or as Go's text of a
// duration that notes written before held.
func TestRenderTimesAndDurations(t *testing.T) {
	c := msg.Catalogue{"n": {
		En:    "restored at {at}, not acknowledged within {after}",
		Zh:    "已于 {at} 恢复，{after} 内无人确认",
		Kinds: map[string]string{"at": msg.KindTime, "after": msg.KindDuration},
	}}
	at := time.Date(2026, 12, 2, 7, 51, 44, 0, time.UTC)
	wantEn := "restored at 2026-12-02 15:51:44 (UTC+8), not acknowledged within 1 min"
	wantZh := "已于 2026-12-02 15:51:44 恢复，1 分钟 内无人确认"
	m := msg.New("n", "at", at, "after", time.Minute)
	b, _ := json.Marshal(msg.New("n", "at", at.Format(time.RFC3339), "after", 60))
	var back msg.Msg
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	old := msg.New("n", "at", "2026-12-02T07:51:44Z", "after", "1m0s")
	for name, m := range map[string]msg.Msg{"Go values": m, "read back from JSON": back, "written before": old} {
		if got := c.Render(msg.En, m); got != wantEn {
			t.Errorf("%s in English: got %q, want %q", name, got, wantEn)
		}
		if got := c.Render(msg.Zh, m); got != wantZh {
			t.Errorf("%s in Chinese: got %q, want %q", name, got, wantZh)
		}
	}
	for _, tc := range []struct {
		d      time.Duration
		en, zh string
	}{
		{45 * time.Second, "45 s", "45 秒"},
		{90 * time.Second, "1 min 30 s", "1 分 30 秒"},
		{time.Hour, "1 h", "1 小时"},
		{90 * time.Minute, "1 h 30 min", "1 小时 30 分"},
	} {
		d := msg.Catalogue{"d": {En: "{d}", Zh: "{d}", Kinds: map[string]string{"d": msg.KindDuration}}}
		if en, zh := d.Render(msg.En, msg.New("d", "d", tc.d)), d.Render(msg.Zh, msg.New("d", "d", tc.d)); en != tc.en || zh != tc.zh {
			t.Errorf("%s: %q and %q, want %q and %q", tc.d, en, zh, tc.en, tc.zh)
		}
	}
	if errs := (msg.Catalogue{"x": {En: "{a}", Zh: "{a}", Kinds: map[string]string{"a": "date", "b": msg.KindTime}}}).Check(); len(errs) != 2 {
		t.Errorf("a kind unknown and an argument not in the template: %v", errs)
	}
}
