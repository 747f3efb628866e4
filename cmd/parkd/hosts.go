package main

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// serverHosts returns the names requests may carry in Host: those of
// --hosts (parseHosts), else the listening address (as the log's URL
// gives it) and the loopback names on its port. Listening on every
// interface (0.0.0.0, [::]), the machine's own addresses are added: an
// address cannot be rebound as a name can, so reaching parkd by it is
// safe; a DNS name must be given with --hosts.
func serverHosts(names []string, addr net.Addr) []string {
	if len(names) > 0 {
		return names
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return nil
	}
	out := []string{net.JoinHostPort(host, port)}
	for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
		out = append(out, net.JoinHostPort(h, port))
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					out = append(out, net.JoinHostPort(n.IP.String(), port))
				}
			}
		}
	}
	return out
}

// splitList splits a comma-separated flag, leaving out blanks.
func splitList(flag string) []string {
	var out []string
	for _, v := range strings.Split(flag, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseHosts reads --hosts: each name a request's Host may carry, as it
// carries it (web/edge.go hostList): "name" for any port or "name:port",
// the name a DNS name in ASCII (an internationalised one in the punycode
// form browsers send), an IPv4 address, or an IPv6 address, in brackets
// with a port. A value no request could match — one that would leave
// parkd answering 421 to everything — is refused, naming it. "" gives
// none: the defaults (serverHosts).
func parseHosts(flag string) ([]string, error) {
	names := splitList(flag)
	if flag != "" && len(names) == 0 {
		// No names would check no Host at all.
		return nil, fmt.Errorf("--hosts: %q names no host; leave it out for the defaults", flag)
	}
	for _, h := range names {
		if err := checkHostPort(h); err != nil {
			return nil, fmt.Errorf("--hosts: %q %w", h, err)
		}
	}
	return names, nil
}

// checkHostPort checks one name of --hosts (or an origin's host):
// "name", "name:port", an IPv6 address alone or "[v6]", "[v6]:port".
func checkHostPort(h string) error {
	if strings.Contains(h, "://") {
		if u, err := url.Parse(h); err == nil && u.Host != "" {
			return fmt.Errorf("is a URL: give the name requests carry in Host, %q", u.Host)
		}
	}
	name, port, hasPort := h, "", false
	switch {
	case strings.HasPrefix(h, "["):
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return errNotHost
		}
		name, port = h[1:end], h[end+1:]
		if port != "" {
			if port[0] != ':' {
				return errNotHost
			}
			port, hasPort = port[1:], true
		}
		if ip := net.ParseIP(name); ip == nil || !strings.Contains(name, ":") {
			return fmt.Errorf("is not an IPv6 address in brackets")
		}
	case strings.Count(h, ":") > 1: // an IPv6 address alone, any port
		if net.ParseIP(h) == nil {
			return errNotHost
		}
		return nil
	default:
		if i := strings.LastIndexByte(h, ':'); i >= 0 {
			name, port, hasPort = h[:i], h[i+1:], true
		}
		if err := checkName(name); err != nil {
			return err
		}
	}
	if hasPort {
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 || strconv.Itoa(p) != port {
			return fmt.Errorf("has a port that is not 1 to 65535")
		}
	}
	return nil
}

// errNotHost says what a name of --hosts may be.
var errNotHost = fmt.Errorf("is not a name requests can carry in Host: give a DNS name, an IPv4 address or an IPv6 one in brackets, each with or without :port (park.example, park.example:8080, 10.0.0.5, [::1]:8080)")

// checkName checks a name without its port: a DNS name or an IPv4
// address, as the Host header carries it.
func checkName(name string) error {
	if name == "" {
		return errNotHost
	}
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	if last := labels[len(labels)-1]; last != "" && strings.Trim(last, "0123456789") == "" {
		// A name ending in a number is an IPv4 address to a browser
		// (WHATWG URL), which sends it as a dotted quad.
		if ip := net.ParseIP(name); ip == nil || ip.To4() == nil {
			return fmt.Errorf("is not an IPv4 address (four numbers 0 to 255, 10.0.0.5)")
		}
		return nil
	}
	// Letters, digits and hyphens (RFC 1034, UTS #46's STD3 rules); the
	// underscore, which browsers let through, too. Every label holds
	// something and a letter or digit (".", "a..b", "_" name no host).
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if strings.Trim(l, "_-") == "" {
			return errNotHost
		}
	}
	ascii, err := idna.Lookup.ToASCII(strings.ReplaceAll(name, "_", "x"))
	if err != nil {
		return errNotHost
	}
	if ascii != strings.ToLower(strings.ReplaceAll(name, "_", "x")) {
		return fmt.Errorf("is not written as requests carry it: write %q", ascii)
	}
	return nil
}

// parseOrigins reads --origins: whole browser origins, each exactly as a
// browser sends it in Origin (web/edge.go compares them as they are):
// http or https, the host in lower case, a port only when not the
// scheme's own, no path. One written otherwise is refused with the form
// to write.
func parseOrigins(flag string) ([]string, error) {
	origins := splitList(flag)
	for _, o := range origins {
		if err := checkOrigin(o); err != nil {
			return nil, fmt.Errorf("--origins: %q %w", o, err)
		}
	}
	return origins, nil
}

func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("is not an origin: scheme://host[:port] (https://screen.example:8443)")
	}
	if err := checkHostPort(u.Host); err != nil {
		return fmt.Errorf("has a host that %w", err)
	}
	host := strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "http" && p == "80") || (u.Scheme == "https" && p == "443") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	if want := u.Scheme + "://" + host; o != want || u.User != nil {
		return fmt.Errorf("is not an origin as a browser sends it: write %q", want)
	}
	return nil
}
