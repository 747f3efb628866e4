// Package dispatch plans the response to incidents: which teams and which
// pooled equipment go, under the park's dispatch rules (调度办法), over the
// park's roads. Planning is a pure function of the park's snapshot, the
// open incidents, the rules and the road graph; only an operator's
// confirm turns a plan into commands.
package dispatch
