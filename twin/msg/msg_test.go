package msg_test

import (
	"encoding/json"
	"strings"
	"testing"

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
