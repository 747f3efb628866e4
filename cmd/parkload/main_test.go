package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parktwin/twin"
	"parktwin/twin/bolt"
	"parktwin/twin/demo"
	"parktwin/twin/telemetry"
	"parktwin/web"
	"parktwin/web/auth"
)

const testToken = "test-gateway-token"

// startServer serves a twin holding the demo park, on a real bbolt file
// and a real listener, and returns its base URL.
func startServer(t *testing.T) (string, string) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "park.db"))
	if err != nil {
		t.Fatal(err)
	}
	tw, err := twin.Open(twin.Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Apply(context.Background(), twin.Creates(demo.Generate(1, 1)...)...); err != nil {
		t.Fatal(err)
	}
	mon, err := telemetry.New(telemetry.Config{Twin: tw, History: db, Rules: telemetry.DefaultRules()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.Records("users")
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := db.Records("tokens")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.Open(auth.Config{Users: users, Tokens: tokens,
		Gateways: []auth.GatewayToken{{Name: "load", Token: testToken}}})
	if err != nil {
		t.Fatal(err)
	}
	api, _, err := svc.IssueToken(auth.NewToken{Name: "parkload", Role: auth.Viewer}, "test")
	if err != nil {
		t.Fatal(err)
	}
	srv := web.New(web.Config{Twin: tw, Monitor: mon, Auth: svc})
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		tw.Close()
		db.Close()
	})
	return "http://" + ln.Addr().String(), api
}

// A small run against a real server: every reading accepted, values
// timed on every client, no client dropped, no alarm raised.
func TestLoad(t *testing.T) {
	base, api := startServer(t)
	cfg, err := parseConfig([]string{"--url", base, "--api-token", api, "--token", testToken, "--clients", "5", "--rate", "500", "--duration", "2s"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.settle, cfg.drain = 2, 600*time.Millisecond
	var progress bytes.Buffer
	r, err := load(t.Context(), cfg, &progress)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	var out bytes.Buffer
	r.print(&out)
	t.Log("\n" + out.String())

	if r.posted.accepted < 800 || r.posted.rejected != 0 || r.posted.httpErrors != 0 {
		t.Errorf("readings: %+v, want at least 800 accepted and none rejected", r.posted)
	}
	if r.latency.n == 0 || r.fanOut.n == 0 || r.values == 0 {
		t.Errorf("latencies: %d, fan-outs: %d, values messages: %d; want some", r.latency.n, r.fanOut.n, r.values)
	}
	// Every client sees each tick: the values are timed about as many
	// times as they were accepted, once per client, less the coalesced.
	if r.latency.n > uint64(5*r.posted.accepted) {
		t.Errorf("%d latencies for %d readings on 5 clients", r.latency.n, r.posted.accepted)
	}
	if r.dropped != 0 || r.errs != 0 || len(r.closes) != 0 || r.end.StreamDropped != 0 {
		t.Errorf("clients: dropped %d, errors %d (%s), closes %v, server dropped %d", r.dropped, r.errs, r.firstErr, r.closes, r.end.StreamDropped)
	}
	if r.connected.StreamClients != 5 || r.before.StreamClients != 0 {
		t.Errorf("stream clients: %d before, %d connected", r.before.StreamClients, r.connected.StreamClients)
	}
	if r.changes != 0 {
		t.Errorf("%d changes on the sensors layer: a reading raised an alarm?", r.changes)
	}
	for _, want := range []string{"latency", "p99", "dropped by the server (4001): 0", "per client"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

func TestSnapshotOnly(t *testing.T) {
	base, api := startServer(t)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"--url", base, "--api-token", api, "--snapshot-only", "--clients", "2", "--layers", "all"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"client 2", "sensors 1,236", "tanks"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--clients", "0"}, "--clients"},
		{[]string{"--token", "x"}, "--api-token"},
		{[]string{"--api-token", "a", "--rate", "100"}, "--token"},
		{[]string{"--api-token", "a", "--token", "x", "--duration", "0s"}, "--duration"},
		{[]string{"--api-token", "a", "--token", "x", "--batch", "0"}, "--batch"},
		{[]string{"--api-token", "a", "--token", "x", "extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		_, err := parseConfig(tt.args, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want an error about %s", tt.args, err, tt.want)
		}
	}
}

// A server that cannot be reached is a setup error, reported at once.
func TestLoadUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = run(t.Context(), []string{"--url", "http://" + addr, "--api-token", "a", "--token", "x", "--duration", "1s"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "get sensors") {
		t.Errorf("got %v, want the sensors' GET to fail", err)
	}
}
