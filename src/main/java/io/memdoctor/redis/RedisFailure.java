package io.memdoctor.redis;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.memdoctor.instances.RedisUrl;
import io.memdoctor.redis.resp.ReplyRejected;
import io.memdoctor.redis.resp.RespConnection;

/**
 * Why a command to Redis failed, classified once for every caller: the gateway throws only this. Its message is
 * scrubbed ({@link RedisText}): no password, no control character, bounded length.
 */
public final class RedisFailure extends RuntimeException {

    /** How a command failed. */
    public enum Kind {
        /** No connection, or no answer within the timeout. */
        UNREACHABLE,
        /** Redis answered with an error reply: authentication, ACL, a renamed or unknown command. */
        REFUSED,
        /** Redis answered something the dashboard does not accept: over a reply limit, or not RESP. */
        ERROR
    }

    /** Error codes Lettuce sometimes reports as text only (in a connection failure's message). */
    private static final Pattern REFUSALS = Pattern.compile(
            "\\b(WRONGPASS|NOAUTH|NOPERM|ERR unknown command|ERR This instance has cluster support disabled)\\b");

    /** Netty writes a resolved address with a leading slash: " /127.0.0.1:9". */
    private static final Pattern SLASHED = Pattern.compile("(?<=^|[\\s(])/(?=[0-9\\[])");
    /** Lettuce writes an address it did not resolve as "127.0.0.1/<unresolved>:9". */
    private static final Pattern UNRESOLVED = Pattern.compile("/<unresolved>");

    private final Kind kind;
    private final String code;

    RedisFailure(Kind kind, String code, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    /**
     * Classifies a failure of the drivers: an error reply anywhere in the chain (also when Lettuce wraps it as text)
     * is REFUSED, a reply over a limit is ERROR, anything else UNREACHABLE. The reason joins the messages of the
     * chain, scrubbed of the URL's password.
     */
    public static RedisFailure of(Throwable failure, RedisUrl url) {
        if (failure instanceof RedisFailure known) {
            return known;
        }
        Kind kind = Kind.UNREACHABLE;
        String code = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisFailure known) {
                return known;
            }
            String message = cause.getMessage();
            if (cause instanceof ReplyRejected) {
                kind = Kind.ERROR;
                code = null;
                break;
            }
            if (cause instanceof RespConnection.RedisError error) {
                kind = Kind.REFUSED;
                code = error.code();
            }
            else if (kind == Kind.UNREACHABLE && cause instanceof RedisCommandExecutionException && message != null) {
                kind = Kind.REFUSED;
                code = firstWord(message);
            }
            else if (kind == Kind.UNREACHABLE && message != null) {
                Matcher refusal = REFUSALS.matcher(message);
                if (refusal.find()) {
                    kind = Kind.REFUSED;
                    code = firstWord(refusal.group(1));
                }
            }
        }
        return new RedisFailure(kind, code, RedisText.scrub(reason(failure), url));
    }

    private static String firstWord(String message) {
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    /**
     * What went wrong, for people: a network failure is that cause alone ("Connection refused: 127.0.0.1:9"),
     * anything else the messages of the chain. Netty's and Lettuce's renderings of addresses ("/127.0.0.1:9",
     * "127.0.0.1/&lt;unresolved&gt;:9") and wrappers that only repeat their cause's class name are left out.
     */
    private static String reason(Throwable failure) {
        // the outermost network exception: Netty's names the address, the plain one it wraps does not
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null
                    && (cause instanceof ConnectException || cause instanceof NoRouteToHostException)) {
                return address(cause.getMessage());
            }
            if (cause.getMessage() != null && cause instanceof UnknownHostException) {
                return "Unknown host: " + address(cause.getMessage());
            }
        }
        return address(chain(failure));
    }

    private static String address(String text) {
        return UNRESOLVED.matcher(SLASHED.matcher(text).replaceAll("")).replaceAll("");
    }

    private static String chain(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        for (Throwable cause = failure; cause != null && reason.length() < RedisText.MAX_LENGTH;
                cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message == null || reason.indexOf(message) >= 0
                    || cause.getCause() != null && message.equals(cause.getCause().toString())) {
                continue;
            }
            if (reason.length() > 0) {
                reason.append(": ");
            }
            reason.append(message);
        }
        if (reason.length() == 0) {
            reason.append(failure instanceof RedisConnectionException ? "cannot connect"
                    : failure.getClass().getSimpleName());
        }
        return reason.toString();
    }

    public Kind kind() {
        return kind;
    }

    /** Redis' error code ({@code NOPERM}, {@code WRONGPASS}, {@code ERR}...) when REFUSED, else {@code null}. */
    public String code() {
        return code;
    }

    /** True when Redis answered with an error: the connection is healthy and stays open. */
    public boolean refused() {
        return kind == Kind.REFUSED;
    }

    /** The scrubbed reason. */
    public String reason() {
        return getMessage();
    }
}
