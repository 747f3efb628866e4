package main

import (
	"net"
	"strings"
)

// serverHosts returns the names requests may carry in Host: those of
// --hosts, else the listening address (as the log's URL gives it) and
// the loopback names on its port. Listening on every interface (0.0.0.0,
// [::]), the machine's own addresses are added: an address cannot be
// rebound as a name can, so reaching parkd by it is safe; a DNS name
// must be given with --hosts.
func serverHosts(flag string, addr net.Addr) []string {
	if flag != "" {
		var out []string
		for _, h := range strings.Split(flag, ",") {
			if h = strings.TrimSpace(h); h != "" {
				out = append(out, h)
			}
		}
		return out
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
