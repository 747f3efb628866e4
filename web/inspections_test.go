package web_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/web/auth"
)

type inspectionsAnswer struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Overdue     int    `json:"overdue"`
	Inspections []struct {
		Type     string `json:"type"`
		Serial   string `json:"serial"`
		Lot      string `json:"lot"`
		Kind     string `json:"kind"`
		Schedule string `json:"schedule"`
		What     string `json:"what"`
		Due      string `json:"due"`
		Overdue  bool   `json:"overdue"`
		State    string `json:"state"`
	} `json:"inspections"`
}

// The inspection calendar of a warehouse: a set received overdue for its
// check is listed first and overdue whatever the window; one due in ten
// days is in the default 30 days and one due in sixty only in a window
// that reaches it; a set back from use unchecked is due (now) after use;
// an inspection passed takes the overdue one off; bad windows are 422.
func TestInspectionCalendarAPI(t *testing.T) {
	base, tw, _ := startServer(t)
	keeper := roleToken(t, base, auth.NewToken{Name: "库管王", Role: auth.Keeper, Warehouses: []string{"WH-02"}})
	as := http.Header{"Authorization": {"Bearer " + keeper}, "Content-Type": {"application/json"}}
	now := tw.Clock().Now()
	day := func(days int) string { return now.AddDate(0, 0, days).Format(time.DateOnly) }
	post := func(body string) {
		t.Helper()
		if st, b, _ := doWith(t, "POST", base+"/api/v1/warehouses/WH-02/ledger", body, as); st != 201 {
			t.Fatalf("%s: %d %s", body, st, b)
		}
	}
	post(`{"op":"receive","type":"scba","serials":["CAL-OLD"],"due":"` + day(-3) + `"}`)
	post(`{"op":"receive","type":"scba","serials":["CAL-SOON"],"due":"` + day(10) + `"}`)
	post(`{"op":"receive","type":"scba","serials":["CAL-LATER"],"due":"` + day(60) + `"}`)
	post(`{"op":"receive","type":"scba","serials":["CAL-USED"],"due":"` + day(20) + `"}`)
	post(`{"op":"issue","type":"scba","serials":["CAL-USED"],"to":"TEAM-03"}`)
	post(`{"op":"return","type":"scba","serials":["CAL-USED"]}`)

	calendar := func(query string) (map[string]string, inspectionsAnswer) {
		t.Helper()
		st, b, _ := doWith(t, "GET", base+"/api/v1/warehouses/WH-02/inspections"+query, "", as)
		var a inspectionsAnswer
		if st != 200 || json.Unmarshal(b, &a) != nil {
			t.Fatalf("%s: %d %s", query, st, b)
		}
		got := map[string]string{}
		seenDue := false
		for _, in := range a.Inspections {
			if !in.Overdue {
				seenDue = true
			} else if seenDue {
				t.Errorf("%s: %s overdue after one not overdue: overdue first", query, in.Serial)
			}
			// An item has a line per schedule: the monthly check and the
			// after-use check here (the yearly service is left aside).
			if (in.Schedule == "monthly" || in.Schedule == "afterUse") && len(in.Serial) > 4 && in.Serial[:4] == "CAL-" {
				state := "due"
				if in.Overdue {
					state = "overdue"
				}
				got[in.Serial+" "+in.Schedule] = state + " " + in.Kind + " " + in.Due
			}
		}
		return got, a
	}
	got, a := calendar("")
	want := map[string]string{
		"CAL-OLD monthly":   "overdue inspection " + day(-3),
		"CAL-SOON monthly":  "due inspection " + day(10),
		"CAL-USED monthly":  "due inspection " + day(20),
		"CAL-USED afterUse": "overdue after-use " + day(0),
	}
	if !maps.Equal(got, want) {
		t.Errorf("the calendar's next 30 days: %v, want %v", got, want)
	}
	if a.From != day(0) || a.To != day(30) || a.Overdue < 2 {
		t.Errorf("window %s–%s, %d overdue: want today, 30 days on and at least 2", a.From, a.To, a.Overdue)
	}
	if got, _ := calendar("?from=" + day(40) + "&to=" + day(70)); got["CAL-LATER monthly"] != "due inspection "+day(60) ||
		got["CAL-OLD monthly"] == "" || got["CAL-SOON monthly"] != "" {
		t.Errorf("days 40–70: %v, want CAL-LATER, the overdue CAL-OLD, not CAL-SOON", got)
	}

	// One set back from use, one not: which check passed is named.
	if st, b, _ := doWith(t, "POST", base+"/api/v1/warehouses/WH-02/ledger", `{"op":"inspect","type":"scba","serials":["CAL-OLD","CAL-USED"],"result":"pass"}`, as); st != 422 || !strings.Contains(string(b), `"field":"schedule"`) {
		t.Errorf("an inspection of a set back from use and one not, naming no schedule: %d %s, want 422 on schedule", st, b)
	}
	post(`{"op":"inspect","type":"scba","serials":["CAL-OLD"],"result":"pass"}`)  // the monthly check
	post(`{"op":"inspect","type":"scba","serials":["CAL-USED"],"result":"pass"}`) // the after-use check
	if got, _ := calendar(""); got["CAL-OLD monthly"] != "" || got["CAL-USED afterUse"] != "" || got["CAL-USED monthly"] != "due inspection "+day(20) {
		t.Errorf("after the checks passed: %v, want CAL-OLD's monthly check a month on, CAL-USED's after-use check off and its monthly check unmoved", got)
	}

	for _, bad := range []struct{ query, field string }{
		{"?from=yesterday", "from"},
		{"?to=2026-13-01", "to"},
		{"?from=" + day(5) + "&to=" + day(5), "to"},
		{"?from=" + day(0) + "&to=" + day(3000), "to"},
	} {
		st, b, _ := doWith(t, "GET", base+"/api/v1/warehouses/WH-02/inspections"+bad.query, "", as)
		var e errorAnswer
		if st != 422 || json.Unmarshal(b, &e) != nil || e.Field != bad.field || e.Error != twin.EINVALID {
			t.Errorf("%s: %d %s, want 422 naming %s", bad.query, st, b, bad.field)
		}
	}
	if st, b, _ := doWith(t, "GET", base+"/api/v1/warehouses/WH-99/inspections", "", as); st != 404 {
		t.Errorf("no such warehouse: %d %s", st, b)
	}
}
