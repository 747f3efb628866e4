package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"parktwin/twin"
)

// Metrics is what a Host counts for Prometheus (GET /metrics), in a
// registry of its own: two hosts in one process (tests) never share a
// counter. What the host's state already knows (alarms, stream clients)
// is read at each scrape; what happens (readings, commits, plans, logins)
// is counted as it happens. A nil *Metrics counts nothing.
type Metrics struct {
	reg      *prometheus.Registry
	readings *prometheus.CounterVec // twin, result: accepted|rejected
	commits  *prometheus.CounterVec // result: ok|failed
	events   prometheus.Counter
	commit   prometheus.Histogram
	plan     *prometheus.HistogramVec // twin
	logins   *prometheus.CounterVec   // result: ok|failed|locked
	refusals *prometheus.CounterVec   // status: 401|403|415|421|429
}

func newMetrics(h *Host) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		readings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parktwin_readings_total",
			Help: "Sensor readings sent by gateways (POST /api/v1/telemetry and its stream), by result."}, []string{"twin", "result"}),
		commits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parktwin_commits_total",
			Help: "Commits of the live park's journal (one fsync each), by result."}, []string{"result"}),
		events: prometheus.NewCounter(prometheus.CounterOpts{Name: "parktwin_committed_events_total",
			Help: "Events made durable in the live park's journal."}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "parktwin_commit_seconds",
			Help:    "Time from the start of a commit to its data on disk.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		plan: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "parktwin_plan_seconds",
			Help:    "Time to plan the response to an incident (POST /api/v1/incidents/{id}/plan).",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"twin"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parktwin_logins_total",
			Help: "Logins (POST /api/v1/login), by result: ok, failed (a wrong name or password), locked (refused 429 by the lockout)."}, []string{"result"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "parktwin_refusals_total",
			Help: "Requests refused by the edge or the guard, by status: 401 no session, 403 no role or CSRF, 415 not JSON, 421 a Host not ours, 429 too many."}, []string{"status"}),
	}
	m.reg.MustRegister(m.readings, m.commits, m.events, m.commit, m.plan, m.logins, m.refusals,
		hostCollector{h}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if h.cfg.Store != nil {
		h.cfg.Store.ObserveCommits(m.committed)
	}
	return m
}

func (m *Metrics) committed(events int, took time.Duration, err error) {
	if err != nil {
		m.commits.WithLabelValues("failed").Inc()
		return
	}
	m.commits.WithLabelValues("ok").Inc()
	m.events.Add(float64(events))
	m.commit.Observe(took.Seconds())
}

// Ingested counts a batch of readings.
func (m *Metrics) Ingested(twinID string, accepted, rejected int) {
	if m == nil {
		return
	}
	m.readings.WithLabelValues(twinID, "accepted").Add(float64(accepted))
	m.readings.WithLabelValues(twinID, "rejected").Add(float64(rejected))
}

// Planned counts a plan and the time it took.
func (m *Metrics) Planned(twinID string, took time.Duration) {
	if m == nil {
		return
	}
	m.plan.WithLabelValues(twinID).Observe(took.Seconds())
}

// Login counts a login by its result: "ok" when it opened a session,
// "failed" for a wrong name or password, "locked" when the lockout
// refused it.
func (m *Metrics) Login(result string) {
	if m == nil {
		return
	}
	m.logins.WithLabelValues(result).Inc()
}

// Refused counts a request refused by the edge or the guard: 401, 403,
// 415, 421 or 429. Other statuses are the answers of routes, not
// refusals, and are not counted here.
func (m *Metrics) Refused(status int) {
	if m == nil {
		return
	}
	switch status {
	case fiber.StatusUnauthorized, fiber.StatusForbidden, fiber.StatusUnsupportedMediaType,
		fiber.StatusMisdirectedRequest, fiber.StatusTooManyRequests:
		m.refusals.WithLabelValues(strconv.Itoa(status)).Inc()
	}
}

// handler serves the registry in Prometheus' text format.
func (m *Metrics) handler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
}

// Metrics returns what the host counts: login counters and the like for
// the code that authenticates.
func (h *Host) Metrics() *Metrics { return h.metrics }

// hostCollector reads, at each scrape, what the host's twins hold: their
// alarms by state, their stream clients and the clients dropped.
type hostCollector struct{ h *Host }

var (
	descAlarms  = prometheus.NewDesc("parktwin_alarms", "Alarms by state.", []string{"twin", "state"}, nil)
	descClients = prometheus.NewDesc("parktwin_stream_clients", "Consoles connected to the stream.", []string{"twin"}, nil)
	descDropped = prometheus.NewDesc("parktwin_stream_dropped_total", "Stream clients dropped for falling behind.", []string{"twin"}, nil)
	descSeq     = prometheus.NewDesc("parktwin_seq", "The sequence number of the twin's last event.", []string{"twin"}, nil)
)

func (c hostCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descAlarms
	ch <- descClients
	ch <- descDropped
	ch <- descSeq
}

func (c hostCollector) Collect(ch chan<- prometheus.Metric) {
	c.h.mu.Lock()
	served := make([]*served, 0, len(c.h.twins))
	for _, sv := range c.h.twins {
		served = append(served, sv)
	}
	c.h.mu.Unlock()
	for _, sv := range served {
		id := sv.park.ID()
		snap := sv.park.Twin().Snapshot()
		counts := map[twin.AlarmState]int{twin.AlarmActive: 0, twin.AlarmAcknowledged: 0, twin.AlarmCleared: 0, twin.AlarmClosed: 0}
		for a := range twin.All[*twin.Alarm](snap) {
			counts[a.State]++
		}
		for st, n := range counts {
			ch <- prometheus.MustNewConstMetric(descAlarms, prometheus.GaugeValue, float64(n), id, st.String())
		}
		hub := sv.srv.hub
		hub.mu.Lock()
		clients := len(hub.clients)
		hub.mu.Unlock()
		ch <- prometheus.MustNewConstMetric(descClients, prometheus.GaugeValue, float64(clients), id)
		ch <- prometheus.MustNewConstMetric(descDropped, prometheus.CounterValue, float64(hub.dropped.Load()), id)
		ch <- prometheus.MustNewConstMetric(descSeq, prometheus.GaugeValue, float64(snap.Seq()), id)
	}
}
