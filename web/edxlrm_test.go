package web_test

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

type loanProps struct {
	ID         string `json:"id"`
	Properties struct {
		Warehouse string  `json:"warehouse"`
		Borrower  string  `json:"borrower"`
		Type      string  `json:"type"`
		Quantity  float64 `json:"quantity"`
		Due       string  `json:"due"`
		State     string  `json:"state"`
	} `json:"properties"`
}

// EDXL-RM: a requested loan exported as a RequestResource, in XML and in
// JSON, and each imported back as a new loan request asking the same;
// once approved it exports as a CommitResource, which is not taken as a
// request; a request missing its quantity is 422 naming the element.
func TestEDXLRMRoundTrip(t *testing.T) {
	base, tw, _ := startServer(t)
	due := tw.Clock().Now().AddDate(0, 0, 7).Format("2006-01-02")
	st, b, _ := do(t, "POST", base+"/api/v1/loans", `{"warehouse":"WH-01","borrower":"TEAM-03","type":"scba","quantity":2,"due":"`+due+`","reason":"邻园互助"}`)
	var orig loanProps
	if st != 201 || json.Unmarshal(b, &orig) != nil {
		t.Fatalf("request: %d %s", st, b)
	}
	url := base + "/api/v1/loans/" + orig.ID + "/edxl-rm"

	st, xb, _ := do(t, "GET", url+"?format=xml", "")
	var root struct {
		XMLName            xml.Name
		MessageContentType string
	}
	if st != 200 || xml.Unmarshal(xb, &root) != nil || root.XMLName.Local != "RequestResource" ||
		root.XMLName.Space != "urn:oasis:names:tc:emergency:EDXL:RM:1.0" || root.MessageContentType != "RequestResource" {
		t.Fatalf("XML export: %d %s", st, xb)
	}
	for _, el := range []string{"<MessageID>", "<SentDateTime>", "<ContactRole>Requester</ContactRole>", "<TypeStructure>", "<Amount>2</Amount>", "<ScheduleType>"} {
		if !strings.Contains(string(xb), el) {
			t.Errorf("XML export without %s: %s", el, xb)
		}
	}
	st, jb, _ := do(t, "GET", url+"?format=json", "")
	var wrapped map[string]json.RawMessage
	if st != 200 || json.Unmarshal(jb, &wrapped) != nil || wrapped["RequestResource"] == nil {
		t.Fatalf("JSON export: %d %s", st, jb)
	}

	for name, body := range map[string]string{"XML": string(xb), "JSON": string(jb)} {
		st, b, _ := do(t, "POST", base+"/api/v1/edxl-rm", body)
		var got loanProps
		if st != 201 || json.Unmarshal(b, &got) != nil {
			t.Fatalf("%s import: %d %s", name, st, b)
		}
		o, g := orig.Properties, got.Properties
		if got.ID == orig.ID || g.Warehouse != o.Warehouse || g.Borrower != o.Borrower || g.Type != o.Type ||
			g.Quantity != o.Quantity || g.Due != o.Due || g.State != "requested" {
			t.Errorf("%s import: %+v, want a new request as %+v", name, g, o)
		}
	}

	if st, b, _ := do(t, "POST", base+"/api/v1/loans/"+orig.ID+"/approve", ""); st != 200 {
		t.Fatalf("approve: %d %s", st, b)
	}
	st, cb, _ := do(t, "GET", url+"?format=xml", "")
	if st != 200 || !strings.Contains(string(cb), "<CommitResource") || !strings.Contains(string(cb), "<OriginatingMessageID>") {
		t.Fatalf("approved loan's export: %d %s", st, cb)
	}
	if st, b, _ := do(t, "POST", base+"/api/v1/edxl-rm", string(cb)); st != 422 || !strings.Contains(string(b), "CommitResource") {
		t.Errorf("a CommitResource imported: %d %s, want 422 naming it", st, b)
	}
	bad := strings.Replace(string(xb), "<Amount>2</Amount>", "<Amount>0</Amount>", 1)
	st, b, _ = do(t, "POST", base+"/api/v1/edxl-rm", bad)
	var e errorAnswer
	if st != 422 || json.Unmarshal(b, &e) != nil || !strings.HasSuffix(e.Field, "MeasuredQuantity/Amount") {
		t.Errorf("a request for 0: %d %s, want 422 naming Amount", st, b)
	}
	if st, b, _ := do(t, "GET", url+"?format=csv", ""); st != 422 {
		t.Errorf("format=csv: %d %s", st, b)
	}
}
