package io.fngate.invocation;

import java.net.InetAddress;

import java.util.List;

/**
 * Addresses of proxies in front of the gateway whose forwarding headers ({@code X-Forwarded-*},
 * {@code Forwarded}, {@code X-Real-IP}) are believed and extended rather than replaced: single addresses or
 * CIDR ranges, IPv4 or IPv6 ({@code invocation.trusted-proxies}). Anyone else's forwarding headers are claims
 * the gateway cannot vouch for.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * @return no trusted proxy: every client's forwarding headers are replaced
     */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param entries addresses or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8})
     * @return the set
     * @throws IllegalArgumentException naming an entry that is no address or range
     */
    public static TrustedProxies of(List<String> entries) {
        return new TrustedProxies(entries.stream().map(Range::parse).toList());
    }

    /**
     * @param address a peer's address as text (a literal, never resolved)
     * @return whether it is a trusted proxy
     */
    public boolean trusts(String address) {
        if (ranges.isEmpty() || address == null || address.isEmpty()) {
            return false;
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an address literal; null for anything else (a literal never needs a lookup). */
    private static byte[] literal(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        // only literals: a v4 dotted quad, or v6 hex and colons; getByName never looks those up
        boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = a.indexOf(':') >= 0 && a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        if (!v4 && !v6) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(a).getAddress();
            return b.length == 16 && isMappedV4(b) ? java.util.Arrays.copyOfRange(b, 12, 16) : b;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private record Range(byte[] network, int bits) {
        static Range parse(String entry) {
            String e = entry.strip();
            int slash = e.indexOf('/');
            byte[] net = literal(slash < 0 ? e : e.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("trusted-proxies: " + entry + " is not an address or CIDR range");
            }
            int bits = net.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    bits = -1;
                }
                if (bits < 0 || bits > net.length * 8) {
                    throw new IllegalArgumentException("trusted-proxies: " + entry + " has a bad prefix length");
                }
            }
            return new Range(net, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

}
