package web_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// labelURIs are the item pages a labels sheet links to.
var labelURIs = regexp.MustCompile(`/URI \(([^)]*)\)`)

// A warehouse's labels: one QR code (an image) per serial it holds, each
// serial in text beside its code, and a link to the item's page.
func TestLabelsPDF(t *testing.T) {
	for _, tool := range []string{"pdfimages", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s (poppler-utils) on this machine", tool)
		}
	}
	base, _, _ := startServer(t)
	st, pdf, h := do(t, "GET", base+"/api/v1/warehouses/WH-01/labels.pdf", "")
	if st != 200 || h.Get("Content-Type") != "application/pdf" {
		t.Fatalf("labels: %d %s", st, h.Get("Content-Type"))
	}
	_, b, _ := do(t, "GET", base+"/api/v1/warehouses/WH-01/stock", "")
	var stock struct {
		Types []struct {
			Items []struct{ Serial, State string }
		}
	}
	if err := json.Unmarshal(b, &stock); err != nil {
		t.Fatal(err)
	}
	var serials []string
	for _, ts := range stock.Types {
		for _, it := range ts.Items {
			if it.State != "retired" {
				serials = append(serials, it.Serial)
			}
		}
	}
	if len(serials) == 0 {
		t.Fatal("WH-01 holds no serial: nothing to label")
	}
	file := filepath.Join(t.TempDir(), "labels.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	list, err := exec.Command("pdfimages", "-list", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	// Two header lines, then one line per image drawn.
	if n := len(strings.Split(strings.TrimSpace(string(list)), "\n")) - 2; n != len(serials) {
		t.Errorf("%d images for %d serials", n, len(serials))
	}
	// In the order drawn, label by label; a long serial wraps.
	text, err := exec.Command("pdftotext", "-raw", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), "")
	for _, s := range serials {
		if !strings.Contains(flat, s) {
			t.Errorf("serial %s is not in the sheet's text", s)
		}
	}
	links := labelURIs.FindAllSubmatch(pdf, -1)
	if len(links) != len(serials) {
		t.Fatalf("%d links for %d serials", len(links), len(serials))
	}
	if want := base + "/ui/warehouse.html?id=WH-01&serial=" + serials[0]; string(links[0][1]) != want {
		t.Errorf("the first label opens %s, want %s", links[0][1], want)
	}
}
