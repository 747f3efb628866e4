// Package scenarios holds drills as data: the scenario file format and its
// loader (docs/scenarios.md).
//
// A scenario is a YAML file: metadata, the start (park, simulated time,
// weather), injects at times after the start, and expectations with
// targets. Parse and Load check everything the file alone can tell and
// refuse it with an *Error naming the file, the line and the field path;
// (*Scenario).Check then checks the names it uses against the park it is
// to run on.
//
// The player, the sandbox twins, the recorder and the after-action
// reports are to come (issue 9). The package imports twin, never web.
package scenarios
