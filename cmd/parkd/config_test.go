package main

import (
	"io"
	"strings"
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

// --hosts and --origins (and PARKD_HOSTS, PARKD_ORIGINS) are checked with
// the other flags: a value no request could match is refused, the error
// naming the flag and the value; the forms docs/security.md gives pass.
func TestHostsAndOriginsConfig(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string // in the error; "" for none
	}{
		{args: []string{"--hosts", "park.example,park.example:8080, 10.0.0.5 ,[::1]:8080,[::1],::1,localhost,Park-East.example,my_host"}},
		{args: []string{"--hosts", "xn--fiq228c.example:443"}},
		{args: []string{"--origins", "https://screen.example:8443,http://10.0.0.5:8080,https://screen.example,http://[::1]:8080"}},
		{args: []string{"--hosts", "::bad::"}, want: `--hosts: "::bad::" is not a name`},
		{env: map[string]string{"PARKD_HOSTS": "::bad::"}, want: `--hosts: "::bad::"`},
		{args: []string{"--hosts", "park.example:0"}, want: `--hosts: "park.example:0" has a port that is not 1 to 65535`},
		{args: []string{"--hosts", "park.example:http"}, want: `--hosts: "park.example:http" has a port that is not 1 to 65535`},
		{args: []string{"--hosts", "park.example:"}, want: `"park.example:" has a port that is not 1 to 65535`},
		{args: []string{"--hosts", "https://park.example:8443/"}, want: `is a URL: give the name requests carry in Host, "park.example:8443"`},
		{args: []string{"--hosts", "*.park.example"}, want: `"*.park.example" is not a name`},
		{args: []string{"--hosts", "park example"}, want: `"park example" is not a name`},
		{args: []string{"--hosts", "300.1.1.1"}, want: `"300.1.1.1" is not an IPv4 address`},
		{args: []string{"--hosts", "127.1"}, want: `"127.1" is not an IPv4 address`},
		{args: []string{"--hosts", "[park.example]:80"}, want: "not an IPv6 address"},
		{args: []string{"--hosts", "大屏.example"}, want: `write "xn--`},
		{args: []string{"--hosts", " , "}, want: `--hosts: " , " names no host`},
		{args: []string{"--hosts", "park.example,::bad::"}, want: `"::bad::"`},
		{args: []string{"--hosts", "."}, want: `"." is not a name`},
		{args: []string{"--hosts", "a..b"}, want: `"a..b" is not a name`},
		{args: []string{"--hosts", "park.example.."}, want: `"park.example.." is not a name`},
		{args: []string{"--hosts", "_"}, want: `"_" is not a name`},
		{args: []string{"--origins", "notaurl"}, want: `--origins: "notaurl" is not an origin`},
		{env: map[string]string{"PARKD_ORIGINS": "notaurl"}, want: `--origins: "notaurl" is not an origin`},
		{args: []string{"--origins", "screen.example:8443"}, want: `"screen.example:8443" is not an origin`},
		{args: []string{"--origins", "ftp://screen.example"}, want: "is not an origin"},
		{args: []string{"--origins", "null"}, want: "is not an origin"},
		{args: []string{"--origins", "https://screen.example/"}, want: `as a browser sends it: write "https://screen.example"`},
		{args: []string{"--origins", "https://Screen.example:443"}, want: `write "https://screen.example"`},
		{args: []string{"--origins", "https://screen.example/console?x=1"}, want: `write "https://screen.example"`},
		{args: []string{"--origins", "https://ops@screen.example"}, want: `write "https://screen.example"`},
		{args: []string{"--origins", "https://300.1.1.1"}, want: "has a host that is not an IPv4 address"},
		{args: []string{"--origins", "https://::bad::"}, want: "is not an origin"},
		{args: []string{"--origins", "https://screen.example:99999"}, want: "has a port that is not 1 to 65535"},
		// A flag given wins over its variable, checked or not.
		{args: []string{"--hosts", "park.example"}, env: map[string]string{"PARKD_HOSTS": "::bad::"}},
	} {
		_, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q %v: %v", tc.args, tc.env, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q %v: error %v, want one saying %s", tc.args, tc.env, err, tc.want)
		}
	}
	c, err := parseConfig([]string{"--hosts", " park.example , [::1]:8080,", "--origins", "https://a.example, https://b.example"},
		func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.hostNames, "|"); got != "park.example|[::1]:8080" {
		t.Errorf("hosts %q, want the names trimmed, blanks left out", got)
	}
	if got := strings.Join(c.originList, "|"); got != "https://a.example|https://b.example" {
		t.Errorf("origins %q, want them trimmed: an origin is compared as it is", got)
	}
}
