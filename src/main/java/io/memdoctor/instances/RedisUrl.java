package io.memdoctor.instances;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

import io.lettuce.core.RedisURI;

/**
 * A validated {@code redis://[user:password@]host:port[/db]} or {@code rediss://} URL.
 *
 * <p>Not a record on purpose: the password must never reach a {@code toString}, a log line or a JSON answer.
 * {@link #toString()} and {@link #redacted()} show {@code ***} in its place; only {@link #toLettuceUri} sees it.
 */
public final class RedisUrl {

    private static final int DEFAULT_PORT = 6379;

    private final boolean tls;
    private final String host;
    private final int port;
    private final int database;
    private final String username;
    private final String password;

    private RedisUrl(boolean tls, String host, int port, int database, String username, String password) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
    }

    /**
     * Parses and validates a URL; Spring also uses this to bind {@code memdoctor.instances[N].url}.
     *
     * @throws InvalidRedisUrlException with a message fit to show to the person who typed it
     */
    public static RedisUrl of(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRedisUrlException("URL is required, for example redis://localhost:6379");
        }
        refuseControlCharacters(text);
        String trimmed = text.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        }
        catch (URISyntaxException ex) {
            // the message of URISyntaxException quotes the input, which may hold a password
            throw new InvalidRedisUrlException("URL is not well formed; expected redis://[user:password@]host:port[/db]");
        }
        String scheme = uri.getScheme();
        if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
            throw new InvalidRedisUrlException("URL must start with redis:// or rediss:// (TLS)");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new InvalidRedisUrlException("URL has no host; expected redis://host:port");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new InvalidRedisUrlException("port must be between 1 and 65535");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidRedisUrlException("URL must not carry a query or fragment");
        }
        int database = parseDatabase(uri.getPath());
        String username = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                // redis://secret@host is the classic "password only" form
                password = decode(userInfo);
            }
            else {
                username = colon == 0 ? null : decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            }
            if (password != null && password.isEmpty()) {
                password = null;
            }
            // %0D%0A decodes to CR LF: refused like a raw one, since user and password go into commands
            if (username != null && hasControl(username)) {
                throw new InvalidRedisUrlException(CONTROL + " in the user name");
            }
            if (password != null && hasControl(password)) {
                throw new InvalidRedisUrlException(CONTROL + " in the password");
            }
        }
        return new RedisUrl("rediss".equalsIgnoreCase(scheme), host, port, database, username, password);
    }

    /**
     * Control characters (CR, LF, NUL, the other C0 and C1 codes, DEL) anywhere, even at the ends where
     * {@code strip()} would quietly drop them: they have no place in a URL and could split a command or a log line.
     * The message names the part they are in and never quotes it.
     */
    private static void refuseControlCharacters(String text) {
        int at = -1;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return;
        }
        int start = text.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int end = start;
        while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        int userInfoEnd = text.lastIndexOf('@', end - 1);
        String part;
        if (at < start) {
            part = "the scheme";
        }
        else if (userInfoEnd >= start && at < userInfoEnd) {
            int colon = text.indexOf(':', start);
            // redis://secret@host is the password-only form
            boolean hasUser = colon >= 0 && colon < userInfoEnd;
            part = !hasUser || at > colon ? "the password" : "the user name";
        }
        else if (at < end) {
            part = "the host or port";
        }
        else {
            part = "the database";
        }
        throw new InvalidRedisUrlException(CONTROL + " in " + part);
    }

    private static final String CONTROL = "URL must not contain control characters (CR, LF, NUL, ...): found one";

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static int parseDatabase(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String db = path.substring(1);
        if (!db.matches("\\d{1,5}")) {
            throw new InvalidRedisUrlException("database must be a number, as in redis://host:6379/0");
        }
        return Integer.parseInt(db);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URL as it may be shown: the password replaced by {@code ***}. */
    public String redacted() {
        return format(username, password == null ? null : "***");
    }

    /** The full URL with the password, for storage in the local database only. */
    public String toStorageString() {
        return format(username == null ? null : encode(username), password == null ? null : encode(password));
    }

    /** {@code scheme://[user][:secret]@host:port[/db]} with the user and secret as given. */
    private String format(String user, String secret) {
        StringBuilder out = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null || secret != null) {
            if (user != null) {
                out.append(user);
            }
            if (secret != null) {
                out.append(':').append(secret);
            }
            out.append('@');
        }
        out.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host).append(':').append(port);
        if (database != 0) {
            out.append('/').append(database);
        }
        return out.toString();
    }

    private static String encode(String part) {
        return java.net.URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A Lettuce URI for this Redis, with the given command and connect timeout. */
    public RedisURI toLettuceUri(Duration timeout) {
        RedisURI.Builder builder = RedisURI.builder()
                .withHost(host)
                .withPort(port)
                .withDatabase(database)
                .withSsl(tls)
                .withTimeout(timeout);
        if (password != null) {
            if (username != null) {
                builder.withAuthentication(username, password.toCharArray());
            }
            else {
                builder.withPassword(password.toCharArray());
            }
        }
        return builder.build();
    }

    /**
     * The same credentials, TLS and database at another address: how the nodes of a cluster are reached from the
     * seed URL it was added with.
     */
    public RedisUrl withAddress(String host, int port) {
        if (host == null || host.isBlank() || hasControl(host) || port < 1 || port > 65535) {
            throw new InvalidRedisUrlException("a cluster node announced an address that is not valid");
        }
        return new RedisUrl(tls, host, port, 0, username, password);
    }

    /**
     * The same credentials, TLS and database on a replica of this server: as the URL a user would
     * type, validated like one.
     *
     * @throws InvalidRedisUrlException for a host or port no URL could hold
     */
    public RedisUrl atReplica(String otherHost, int otherPort) {
        RedisUrl checked = RedisUrl.of((tls ? "rediss://" : "redis://")
                + (otherHost.contains(":") && !otherHost.startsWith("[") ? "[" + otherHost + "]" : otherHost)
                + ":" + otherPort);
        return new RedisUrl(tls, checked.host, checked.port, database, username, password);
    }

    /** True when the URL carries a password. */
    public boolean hasPassword() {
        return password != null;
    }

    /** The password itself, so tests and log scrubbing can look for it; never shown. */
    public String password() {
        return password;
    }

    /** The ACL user, {@code null} for the default user. */
    public String username() {
        return username;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int database() {
        return database;
    }

    public boolean tls() {
        return tls;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RedisUrl that && toStorageString().equals(that.toStorageString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, database, username);
    }

    @Override
    public String toString() {
        return redacted();
    }
}
