package main

import (
	"io"
	"testing"
	"time"
)

func TestDemoSensorsConfig(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		env     map[string]string
		want    int
		wantErr bool
	}{
		{want: 0},
		{args: []string{"--demo-sensors", "440000"}, want: 440_000},
		{env: map[string]string{"PARKD_DEMO_SENSORS": "5000"}, want: 5000},
		{args: []string{"--demo-sensors", "7"}, env: map[string]string{"PARKD_DEMO_SENSORS": "5000"}, want: 7},
		{args: []string{"--demo-sensors", "-1"}, wantErr: true},
		{args: []string{"--demo-sensors", "2000001"}, wantErr: true},
		{env: map[string]string{"PARKD_DEMO_SENSORS": "many"}, wantErr: true},
	} {
		c, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if tc.wantErr {
			if err == nil {
				t.Errorf("%v %v: no error", tc.args, tc.env)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v %v: %v", tc.args, tc.env, err)
			continue
		}
		if c.demoSensors != tc.want {
			t.Errorf("%v %v: got %d sensors, want %d", tc.args, tc.env, c.demoSensors, tc.want)
		}
	}
}

func TestDemoParkSensors(t *testing.T) {
	c, err := parseConfig([]string{"--demo-sensors", "3000"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range c.demoPark(time.Now()) {
		if e.Kind().Path() == "sensors" {
			n++
		}
	}
	if n != 3000 {
		t.Errorf("got %d sensors, want 3000", n)
	}
}
