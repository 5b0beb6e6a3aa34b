package io.memdoctor.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The host names a request may name when the dashboard runs without users: loopback names and addresses, plus
 * {@code memdoctor.security.allowed-hosts}. Decided on the text alone, never by resolving it: a name that resolves
 * to 127.0.0.1 is exactly what a DNS rebinding attack uses.
 */
final class AllowedHosts {

    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final Set<String> extra;

    AllowedHosts(List<String> configured) {
        this.extra = configured.stream().map(AllowedHosts::hostOf).filter(h -> h != null && !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a {@code Host} header value ({@code name}, {@code name:port}, {@code [v6]:port}) is allowed. */
    boolean allowsHost(String authority) {
        String host = hostOf(authority);
        return host != null && (isLoopback(host) || extra.contains(host));
    }

    /** Whether an {@code Origin} (or {@code Referer}) names an allowed host; {@code null} origins are not. */
    boolean allowsOrigin(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme();
            if (uri.getRawAuthority() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return false;
            }
            return allowsHost(uri.getRawAuthority());
        }
        catch (java.net.URISyntaxException ex) {
            return false;
        }
    }

    /** The host part, lower case, without port, brackets or a trailing dot; {@code null} when malformed. */
    static String hostOf(String authority) {
        if (authority == null) {
            return null;
        }
        String text = authority.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty() || text.contains("@") || text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return null;
        }
        String host;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = text.substring(0, end + 1);
            String rest = text.substring(end + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{0,5}")) {
                return null;
            }
        }
        else {
            int colon = text.indexOf(':');
            if (colon >= 0 && !text.substring(colon).matches(":\\d{0,5}")) {
                return null;
            }
            host = colon < 0 ? text : text.substring(0, colon);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static boolean isLoopback(String host) {
        if ("localhost".equals(host) || LOOPBACK_V4.matcher(host).matches()) {
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]") && host.indexOf(':') > 0) {
            try {
                // a bracketed IPv6 literal is parsed, never looked up
                return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress();
            }
            catch (UnknownHostException ex) {
                return false;
            }
        }
        return false;
    }
}
