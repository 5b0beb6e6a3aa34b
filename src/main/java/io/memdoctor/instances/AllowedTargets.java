package io.memdoctor.instances;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * {@code memdoctor.instances.allowed-targets}: where an operator may point the dashboard. Without it, anywhere the
 * dashboard's host can reach (an operator can make it connect to any internal address: that is the point of it).
 *
 * <p>A URL whose host is a name listed by name (or under a listed {@code *.suffix}) is allowed by name: the list's
 * author trusts that name. Any other host is resolved and <em>every</em> address it resolves to must fall in a
 * listed address or CIDR block, so {@code evil.example} resolving to {@code 169.254.169.254} is refused even
 * though its name looks harmless. The check runs when an instance is added and, for configured instances, at
 * start; a name whose DNS answer changes later is not checked again at connect time, so list names you control,
 * or addresses.
 */
@Component
public class AllowedTargets {

    static final String PROPERTY = "memdoctor.instances.allowed-targets";

    private static final Pattern NAME = Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private final List<String> names = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();

    AllowedTargets(TargetProperties properties) {
        for (String entry : properties.allowedTargets()) {
            add(entry == null ? "" : entry.strip().toLowerCase(Locale.ROOT));
        }
    }

    /** Whether a list is set at all. */
    public boolean restricted() {
        return !names.isEmpty() || !suffixes.isEmpty() || !blocks.isEmpty();
    }

    /**
     * Refuses a URL whose host is not allowed.
     *
     * @throws InvalidRedisUrlException saying which host and why, fit to show to the operator who typed it
     */
    public void check(RedisUrl url) {
        if (!restricted()) {
            return;
        }
        String host = url.host().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (names.contains(name) || suffixes.stream().anyMatch(name::endsWith)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        }
        catch (UnknownHostException ex) {
            throw new InvalidRedisUrlException("host '" + url.host() + "' does not resolve, so it cannot be checked"
                    + " against " + PROPERTY + "; list it by name there, or use its address.");
        }
        List<String> outside = Arrays.stream(addresses).filter(a -> blocks.stream().noneMatch(b -> b.contains(a)))
                .map(InetAddress::getHostAddress).distinct().toList();
        if (!outside.isEmpty()) {
            String resolved = host.equals(outside.get(0)) ? "" : " (it resolves to " + String.join(", ", outside) + ")";
            throw new InvalidRedisUrlException("host '" + url.host() + "' is not an allowed target" + resolved
                    + ": " + PROPERTY + " allows only " + describe() + ".");
        }
    }

    private String describe() {
        List<String> all = new ArrayList<>(names);
        suffixes.forEach(s -> all.add("*" + s));
        blocks.forEach(b -> all.add(b.text()));
        return all.stream().collect(Collectors.joining(", "));
    }

    private void add(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (isAddressLiteral(address)) {
            InetAddress parsed = literal(address, entry);
            int bits = parsed.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = entry.substring(slash + 1);
                if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                    throw invalid(entry, "the prefix length must be 0 to " + bits);
                }
                prefix = Integer.parseInt(length);
            }
            blocks.add(new Block(parsed.getAddress(), prefix, entry));
        }
        else if (slash < 0 && NAME.matcher(entry).matches()) {
            if (entry.startsWith("*.")) {
                suffixes.add(entry.substring(1));
            }
            else {
                names.add(entry);
            }
        }
        else {
            throw invalid(entry, "expected an address, a CIDR block (10.0.0.0/8, fd00::/8), a host name or *.suffix");
        }
    }

    private static boolean isAddressLiteral(String text) {
        return text.contains(":") || text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** Parses an address literal without any DNS lookup (only literals reach here). */
    private static InetAddress literal(String address, String entry) {
        try {
            return InetAddress.getByName(address);
        }
        catch (UnknownHostException ex) {
            throw invalid(entry, "not an IP address");
        }
    }

    private static IllegalStateException invalid(String entry, String why) {
        return new IllegalStateException(PROPERTY + " entry '" + entry + "' is not valid: " + why + ".");
    }

    /** An address block; IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) count as their IPv4 address. */
    private record Block(byte[] network, int prefix, String text) {

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int bits = bytes.length * 8;
            BigInteger mask = prefix == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix)
                            .shiftLeft(bits - prefix);
            return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
