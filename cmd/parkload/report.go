package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// print writes the report for a reader: one line a subject, the server's
// samples as a table.
func (r *report) print(w io.Writer) {
	c := r.cfg
	secs := r.window.Seconds()
	fmt.Fprintf(w, "parkload: %d clients on layers %q; %s readings/s asked to %d of %d sensors for %s (%d posters, at most %s a POST)\n\n",
		c.clients, c.layers, thousands(c.rate), r.driven, r.sensors, c.duration, min(c.posters, max(r.driven, 1)), thousands(c.batch))

	fmt.Fprintf(w, "connect    %d clients in %s; dial to snapshot p50 %s, p99 %s, max %s; snapshot %s B\n",
		c.clients, ms(r.connectTime), ms(r.snapshot.quantile(0.5)), ms(r.snapshot.quantile(0.99)), ms(r.snapshot.max), thousands(r.snapBytes))

	p := r.posted
	fmt.Fprintf(w, "readings   posted %s in %s: %s/s; accepted %s (%s/s), rejected %s; %s POSTs, %d failed\n",
		thousands(p.posted), ms(r.posting), thousands(perSecond(p.posted, r.posting)),
		thousands(p.accepted), thousands(perSecond(p.accepted, r.posting)), thousands(p.rejected), thousands(p.posts), p.httpErrors)
	if p.rtt != nil && p.rtt.n > 0 {
		fmt.Fprintf(w, "           POST sent to answered: %s\n", quantiles(p.rtt))
		fmt.Fprintf(w, "           a poster's POST to its next: %s\n", quantiles(p.gap))
	}
	if p.firstError != "" {
		fmt.Fprintf(w, "           first error: %s\n", p.firstError)
	}

	fmt.Fprintf(w, "latency    receive − t, %s values: %s\n", thousands(int(r.latency.n)), quantiles(r.latency))
	fmt.Fprintf(w, "  age      the message's time (the server's tick) − t, %s values sent: %s\n", thousands(int(r.age.n)), quantiles(r.age))
	fmt.Fprintf(w, "  fan-out  receive − the message's time, %s messages: %s\n", thousands(int(r.fanOut.n)), quantiles(r.fanOut))
	if r.latency.negative > 0 {
		fmt.Fprintf(w, "           %s values arrived before their t: the clocks differ\n", thousands(int(r.latency.negative)))
	}

	fmt.Fprintf(w, "received   %s messages/s (values %s/s, changes %s/s, heartbeats %s/s), %.1f MB/s, %s values/s, over %s\n",
		thousands(perSecond(r.messages, r.window)), thousands(perSecond(r.values, r.window)),
		thousands(perSecond(r.changes, r.window)), thousands(perSecond(r.heartbeats, r.window)),
		float64(r.bytes)/1e6/secs, thousands(perSecond(r.entries, r.window)), ms(r.window))

	closes := "none"
	if len(r.closes) > 0 {
		var cs []string
		for _, code := range slices.Sorted(maps.Keys(r.closes)) {
			cs = append(cs, fmt.Sprintf("%d×%d", r.closes[code], code))
		}
		closes = strings.Join(cs, ", ")
	}
	fmt.Fprintf(w, "clients    dropped by the server (4001): %d; other closes: %s; errors: %d\n", r.dropped, closes, r.errs)
	if r.firstErr != "" {
		fmt.Fprintf(w, "           first error: %s\n", r.firstErr)
	}

	fmt.Fprintln(w, "server")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tseq\tclients\tdropped\theap\tsys\tgoroutines\t")
	for _, s := range []struct {
		name string
		s    serverStats
	}{{"before", r.before}, {"connected", r.connected}, {"end", r.end}} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%d\t\n", s.name, s.s.Seq, s.s.StreamClients, s.s.StreamDropped,
			mib(s.s.HeapBytes), mib(s.s.SysBytes), s.s.Goroutines)
	}
	if u := r.underLoad; u.n > 0 {
		fmt.Fprintf(tw, "under load (%d samples)\t\t≥ %d\t%d\t%s–%s\t≤ %s\t≤ %d\t\n", u.n, u.minClients, u.lastDropped,
			mib(u.minHeap), mib(u.maxHeap), mib(u.maxSys), u.maxGoroutines)
	}
	tw.Flush()
	n := float64(c.clients)
	fmt.Fprintf(w, "memory     per client: heap %s (connected − before), %s (least under load − before); sys %s (connected − before)\n",
		kib(float64(int64(r.connected.HeapBytes)-int64(r.before.HeapBytes))/n),
		kib(float64(int64(r.underLoad.minHeap)-int64(r.before.HeapBytes))/n),
		kib(float64(int64(r.connected.SysBytes)-int64(r.before.SysBytes))/n))

	own := fmt.Sprintf("parkload %.0f %%", 100*r.ownCPU.Seconds()/secs)
	if r.cpuErr != "" {
		fmt.Fprintf(w, "cpu        parkd: not measured (%s); %s of a core, over %s\n", r.cpuErr, own, ms(r.window))
	} else {
		fmt.Fprintf(w, "cpu        parkd %.0f %%, %s of a core, over %s\n", 100*r.serverCPU.Seconds()/secs, own, ms(r.window))
	}
}

func quantiles(h *histogram) string {
	if h.n == 0 {
		return "none"
	}
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s  mean %s",
		ms(h.quantile(0.5)), ms(h.quantile(0.9)), ms(h.quantile(0.99)), ms(h.max), ms(h.mean()))
}

func perSecond(n int, d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(float64(n)/d.Seconds() + 0.5)
}

// ms writes a duration in milliseconds, to a tenth, or in seconds from
// ten seconds up.
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	}
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
}

func mib(b uint64) string {
	return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MiB"
}

func kib(b float64) string {
	return strconv.FormatFloat(b/(1<<10), 'f', 1, 64) + " KiB"
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}
