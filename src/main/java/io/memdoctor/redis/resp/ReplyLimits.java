package io.memdoctor.redis.resp;

/**
 * How much of a reply the dashboard accepts from a Redis server, whatever the server claims. A server that answers
 * beyond one of these (broken, or hostile) fails the command with {@link ReplyRejected} instead of making the
 * dashboard allocate what it announced or wait for a line that never ends.
 *
 * @param maxLineBytes longest status, error or number line
 * @param maxBulkBytes longest bulk string
 * @param maxElements most elements in one array (a map counts its keys and values)
 * @param maxDepth deepest nesting of arrays in one reply
 * @param maxReplyBytes most bytes of one whole reply, nested elements included
 * @param property the configuration prefix that sets these, named in failure messages
 */
public record ReplyLimits(int maxLineBytes, long maxBulkBytes, int maxElements, int maxDepth, long maxReplyBytes,
        String property) {

    public ReplyLimits {
        if (maxLineBytes < 64 || maxBulkBytes < 64 || maxElements < 2 || maxDepth < 1 || maxReplyBytes < maxBulkBytes) {
            throw new IllegalArgumentException(property + ": reply limits are too small (line and bulk at least 64"
                    + " bytes, at least 2 elements and 1 level, the whole reply at least one bulk string)");
        }
    }

    /** The failure for a line longer than allowed. */
    public ReplyRejected longLine() {
        return new ReplyRejected("a line longer than " + maxLineBytes + " bytes", property + ".max-line");
    }

    /** The failure for a bulk string longer than allowed, {@code null} when it fits. */
    public ReplyRejected checkBulk(long length) {
        return length > maxBulkBytes ? new ReplyRejected("a bulk string of " + length + " bytes (limit "
                + maxBulkBytes + ")", property + ".max-bulk") : null;
    }

    /** The failure for an array longer than allowed, {@code null} when it fits. */
    public ReplyRejected checkElements(long count) {
        return count > maxElements ? new ReplyRejected("an array of " + count + " elements (limit " + maxElements
                + ")", property + ".max-elements") : null;
    }

    /** The failure for nesting deeper than allowed. */
    public ReplyRejected deep() {
        return new ReplyRejected("arrays nested deeper than " + maxDepth + " levels", null);
    }

    /** The failure for a reply longer than allowed in all, {@code null} when it fits. */
    public ReplyRejected checkReply(long bytes) {
        return bytes > maxReplyBytes ? new ReplyRejected("a reply of more than " + maxReplyBytes + " bytes",
                property + ".max-reply") : null;
    }
}
