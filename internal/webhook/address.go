package webhook

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// MaxURLLength bounds an endpoint URL.
const MaxURLLength = 2048

// ValidURL checks an endpoint URL. In production it must be https and must not name a loopback,
// private, link-local or otherwise internal address (the server must not be made to call into its own
// network: SSRF); in development and test, http and local addresses are allowed so a receiver on the
// same machine works. Names are checked again when dialled (GuardDial), since DNS can point anywhere.
// Errors: BAD_USER_INPUT on field "url".
func ValidURL(raw string, production bool) error {
	bad := func(msg string) error { return cqerr.E(cqerr.BadUserInput, msg).WithField("url") }
	if raw == "" || len(raw) > MaxURLLength || strings.TrimSpace(raw) != raw {
		return bad(fmt.Sprintf("the URL must be 1 to %d characters without surrounding spaces", MaxURLLength))
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return bad("the URL is not an absolute http(s) URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && !production:
	case u.Scheme == "http":
		return bad("the URL must use https")
	default:
		return bad("the URL is not an absolute http(s) URL")
	}
	if u.User != nil {
		return bad("the URL must not carry a user name or password")
	}
	if u.Fragment != "" {
		return bad("the URL must not have a fragment")
	}
	if !production {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".internal") ||
		strings.HasSuffix(host, ".local") || !strings.Contains(host, ".") && net.ParseIP(host) == nil {
		return bad("the URL must name a public host")
	}
	if ip, err := netip.ParseAddr(host); err == nil && Blocked(ip) {
		return bad("the URL must not point at a loopback, private or link-local address")
	}
	return nil
}

// carrierNAT is 100.64.0.0/10 (RFC 6598), shared address space that is not reachable from outside.
var carrierNAT = netip.MustParsePrefix("100.64.0.0/10")

// Blocked reports whether ip is an address a production server must not deliver to: loopback, private
// (RFC 1918, fc00::/7), link-local (169.254/16 and the cloud metadata address in it, fe80::/10),
// carrier-grade NAT, unspecified or multicast.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || carrierNAT.Contains(ip) ||
		(ip.Is4() && ip.As4()[0] == 0)
}

// errBlockedAddress is a dial refused by GuardDial.
var errBlockedAddress = fmt.Errorf("webhook: refusing to connect to an internal address")

// GuardDial is a net.Dialer Control that refuses internal addresses (Blocked) at connect time, after DNS
// resolution, so a public name that resolves to a private address is refused too.
func GuardDial(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || Blocked(ap.Addr()) {
		return errBlockedAddress
	}
	return nil
}
