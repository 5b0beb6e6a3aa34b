package io.memdoctor.redis.resp;

import java.io.IOException;

/**
 * Redis answered something the dashboard does not accept: a reply over one of the {@link ReplyLimits}, or bytes
 * that are not RESP. The connection is not usable after it. The message holds no byte of the reply itself (only
 * sizes), so it is safe to log and show as it is.
 */
public final class ReplyRejected extends IOException {

    public ReplyRejected(String what, String property) {
        super("Redis sent " + what + (property == null ? "" : "; see " + property));
    }
}
