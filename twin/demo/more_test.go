package demo_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"parktwin/twin"
	"parktwin/twin/demo"
)

func TestGenerateWithNoOptions(t *testing.T) {
	for _, scale := range []int{1, 3} {
		got, want := encode(t, demo.GenerateWith(5, scale, demo.Options{})), encode(t, demo.Generate(5, scale))
		if !bytes.Equal(got, want) {
			t.Errorf("scale %d: GenerateWith without options differs from Generate", scale)
		}
	}
}

func TestMoreSensors(t *testing.T) {
	base := demo.Generate(3, 1)
	have := 0
	for _, e := range base {
		if e.Kind() == twin.KindSensor {
			have++
		}
	}
	for _, n := range []int{have - 10, have, have + 1, 5 * have, 100_123} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			es := demo.GenerateWith(3, 1, demo.Options{Sensors: n})
			if n <= have {
				if !bytes.Equal(encode(t, es), encode(t, base)) {
					t.Fatal("fewer sensors asked for than the scale gives, and the park changed")
				}
				return
			}
			if got := encode(t, demo.GenerateWith(3, 1, demo.Options{Sensors: n})); !bytes.Equal(got, encode(t, es)) {
				t.Fatal("the same seed gave different parks")
			}
			for i := len(base); i < len(es); i++ {
				if a, b := es[i-1].EntityID(), es[i].EntityID(); a >= b {
					t.Fatalf("%s comes before %s", a, b)
				}
			}
			snap := load(t, es)
			if got := snap.Len(twin.KindSensor); got != n {
				t.Fatalf("got %d sensors, want %d", got, n)
			}
			// Everything but the sensors is the park of the scale; the
			// sensors of the scale come first, the same but for the
			// width of their numbers.
			width := max(5, len(fmt.Sprint(n)))
			// The weather station's sensors come last in both, after
			// the added ones (weatherStation).
			var baseSensors, station []*twin.Sensor
			for i, e := range base {
				s, ok := e.(*twin.Sensor)
				if ok && s.Subject == twin.ParkID {
					station = append(station, s)
					continue
				}
				if !ok {
					if d := gocmp.Diff(encode(t, es[i:i+1]), encode(t, base[i:i+1])); d != "" {
						t.Fatalf("%s %s changed (-got +want):\n%s", e.Kind(), e.EntityID(), d)
					}
					continue
				}
				baseSensors = append(baseSensors, s)
			}
			bySubject := map[string][]*twin.Sensor{}
			for _, s := range baseSensors {
				bySubject[s.Subject] = append(bySubject[s.Subject], s)
			}
			first := len(base) - len(baseSensors) - len(station)
			for i, s := range baseSensors {
				got := es[first+i].(*twin.Sensor)
				want := *s
				want.ID = fmt.Sprintf("SEN-%0*d", width, i+1)
				if d := gocmp.Diff(got, &want); d != "" {
					t.Fatalf("sensor %d changed (-got +want):\n%s", i+1, d)
				}
			}
			for i, s := range station {
				got := es[len(es)-len(station)+i].(*twin.Sensor)
				want := *s
				want.ID = fmt.Sprintf("SEN-%0*d", width, n-len(station)+i+1)
				if d := gocmp.Diff(got, &want); d != "" {
					t.Fatalf("station sensor %d changed (-got +want):\n%s", i+1, d)
				}
			}
			// Each added sensor is a copy of one of its subject's own,
			// or a unit's combustible-gas detector.
			for _, e := range es[len(base)-len(station) : len(es)-len(station)] {
				s := e.(*twin.Sensor)
				if twin.KindOfID(s.Subject) == twin.KindHazardUnit && s.Type == twin.CombustibleGas && len(bySubject[s.Subject]) == 0 {
					if *s.Limits.H != 25 || *s.Limits.HH != 50 {
						t.Errorf("%s: limits %v, want H 25 and HH 50 %%LEL", s.ID, s.Limits)
					}
					continue
				}
				found := false
				for _, o := range bySubject[s.Subject] {
					if strings.HasPrefix(s.Name, o.Name+" ") && o.Type == s.Type && o.Gas == s.Gas &&
						gocmp.Equal(o.Limits, s.Limits) && o.Deadband == s.Deadband {
						found = true
					}
				}
				if !found {
					t.Fatalf("%s %q on %s is a copy of none of its subject's sensors", s.ID, s.Name, s.Subject)
				}
			}

		})
	}
}
