package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strconv"
	"testing"

	"parktwin/twin"
	"parktwin/twin/telemetry"
)

// lifecycleJS renders the twin's state machines of the closed loop as the
// console's module web/ui/lifecycle.js: which states a hidden danger may
// move to from each, from which states each action on a verification
// order is allowed. The console offers only those, to the roles the route
// table allows (routeroles.js, TestRouteRolesJS).
func lifecycleJS(t *testing.T) []byte {
	t.Helper()
	next := map[string][]string{}
	for _, s := range twin.DangerStates() {
		to := []string{}
		for _, n := range s.Next() {
			to = append(to, n.String())
		}
		next[s.String()] = to
	}
	acts := map[string][]string{}
	for _, a := range twin.OrderActions {
		from := []string{}
		for _, s := range twin.OrderStates() {
			if s.Allows(a) {
				from = append(from, s.String())
			}
		}
		acts[a] = from
	}
	closable := []string{}
	for _, s := range twin.AlarmStates() {
		if s.Closable() {
			closable = append(closable, s.String())
		}
	}
	ac, _ := json.Marshal(closable)
	dn, _ := json.Marshal(next)
	oa, _ := json.Marshal(acts)
	var b bytes.Buffer
	b.WriteString("// lifecycle.js — the twin's state machines of the closed loop, for the\n")
	b.WriteString("// console's buttons. Generated from twin.AlarmState.Closable,\n")
	b.WriteString("// twin.DangerState.Next and twin.OrderState.Allows by\n")
	b.WriteString("// `go test ./web -run TestLifecycleJS -update`:\n")
	b.WriteString("// do not edit by hand.\n\n")
	b.WriteString("/** ALARM_CLOSABLE lists the alarm states an alarm may be closed from. */\n")
	b.WriteString("export const ALARM_CLOSABLE = " + string(ac) + ";\n\n")
	b.WriteString("/** DANGER_NEXT maps a hidden danger's state to the states it may move to. */\n")
	b.WriteString("export const DANGER_NEXT = " + string(dn) + ";\n\n")
	b.WriteString("/** ORDER_ACTIONS maps an action on a verification order to the states that allow it. */\n")
	b.WriteString("export const ORDER_ACTIONS = " + string(oa) + ";\n\n")
	b.WriteString("/** GATEWAY_LIMIT is the limit of an alarm raised for a gateway: an enterprise's sensors silent together (telemetry.LimitGateway). */\n")
	b.WriteString("export const GATEWAY_LIMIT = " + strconv.Quote(telemetry.LimitGateway) + ";\n")
	return b.Bytes()
}

// The console's copy of the state machines is the twin's: it fails when
// the twin's rules change and web/ui/lifecycle.js was not made again.
func TestLifecycleJS(t *testing.T) {
	const path = "ui/lifecycle.js"
	got := lifecycleJS(t)
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the twin's state machines give: run go test ./web -run TestLifecycleJS -update\ngot:\n%s", path, got)
	}
}
