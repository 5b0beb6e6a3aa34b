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
        }
        return new RedisUrl("rediss".equalsIgnoreCase(scheme), host, port, database, username, password);
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
