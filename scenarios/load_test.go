package scenarios_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"parktwin/scenarios"
	"parktwin/twin"
)

func TestParseChlorineNight(t *testing.T) {
	s, err := scenarios.Load("testdata/chlorine-night.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Metadata.ID, "chlorine-night"; got != want {
		t.Errorf("id %q, want %q", got, want)
	}
	if got, want := s.Metadata.Level, twin.LevelIII; got != want {
		t.Errorf("level %v, want %v", got, want)
	}
	if got, want := s.Metadata.Duration.D(), 2*time.Hour; got != want {
		t.Errorf("duration %v, want %v", got, want)
	}
	if got, want := s.Start.Time.Format(time.RFC3339), "2026-12-01T02:30:00+08:00"; got != want {
		t.Errorf("start %s, want %s", got, want)
	}
	if got, want := s.Start.Weather.Stability, scenarios.StabilityF; got != want {
		t.Errorf("stability %v, want %v", got, want)
	}
	var kinds []string
	for _, in := range s.Injects {
		kinds = append(kinds, in.At.String()+" "+in.Kind())
	}
	want := []string{"0s message", "1m30s excursion", "5m0s report", "8m0s road", "10m0s unit",
		"12m0s equipment", "12m0s equipment", "30m0s weather"}
	if diff := cmp.Diff(kinds, want); diff != "" {
		t.Errorf("injects (-got +want):\n%s", diff)
	}
	x := s.Injects[1].Excursion
	if got, want := x.Profile[2], (scenarios.Sample{After: scenarios.Duration(90 * time.Second), Value: 20}); got != want {
		t.Errorf("profile[2] %+v, want %+v", got, want)
	}
	r := s.Injects[2].Report
	if r.Type != twin.ToxicRelease || r.Point == nil || r.Point.Lon() != 120.7979 || r.Chemical != "7782-50-5" {
		t.Errorf("report %+v", r)
	}
	var of []string
	for _, e := range s.Expectations {
		of = append(of, e.ID+" "+e.What.String()+" of "+e.Of.String()+" within "+e.Within.String())
	}
	wantOf := []string{
		"ack alarm-acknowledged of first-alarm within 1m0s",
		"verify order-issued of first-alarm within 3m0s",
		"incident incident-created of first-alarm within 5m0s",
		"plan plan-confirmed of report within 5m0s",
		"first-unit unit-on-scene of order within 5m0s",
		"detection capability-assigned of report within 10m0s",
		"evacuate evacuation-ordered of report within 15m0s",
		"control under-control of start within 1h30m0s",
	}
	if diff := cmp.Diff(of, wantOf); diff != "" {
		t.Errorf("expectations (-got +want):\n%s", diff)
	}
}

var update = flag.Bool("update", false, "rewrite the wanted errors in testdata/bad")

// Each file in testdata/bad breaks one rule; its first line says the
// exact error: "# want: <error>". With -update the line is rewritten with
// the error got, to be read over before it is committed.
func TestParseRefusesBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no bad files")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, rest, _ := strings.Cut(string(b), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatalf("first line %q does not say what error it wants", first)
			}
			_, err = scenarios.Parse(filepath.Base(f), b)
			if err == nil {
				t.Fatalf("parsed, want %s", want)
			}
			if *update {
				if err := os.WriteFile(f, []byte("# want: "+err.Error()+"\n"+rest), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := err.Error(); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			if got := twin.ErrorCode(err); got != twin.EINVALID {
				t.Errorf("code %s, want %s", got, twin.EINVALID)
			}
		})
	}
}
