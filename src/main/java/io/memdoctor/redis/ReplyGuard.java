package io.memdoctor.redis;

import io.memdoctor.redis.resp.ReplyLimits;
import io.memdoctor.redis.resp.ReplyRejected;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Lettuce has no limit on what it buffers for a reply: it accumulates bytes until the length a header announced
 * has arrived, and sizes lists by the announced count. This handler sits before Lettuce's command handler (after
 * TLS) and follows the RESP2/RESP3 framing of every byte that arrives, without copying it: a header over the
 * {@link ReplyLimits}, a line that does not end, a line feed inside a line, or a byte that starts no reply fails the command waiting for the
 * reply with {@link ReplyRejected} and closes the connection, before Lettuce allocates anything for it.
 */
final class ReplyGuard extends ChannelInboundHandlerAdapter {

    private static final int TYPE = 0;
    private static final int LINE = 1;
    private static final int BODY = 2;

    private final ReplyLimits limits;
    private int state = TYPE;
    private byte kind;
    private int lineLength;
    private long number;
    private boolean negative;
    private boolean digitsOnly;
    private boolean sawCr;
    private long bodyLeft;
    /** Elements still to come in each open aggregate, outermost first. */
    private final long[] open;
    private int depth;
    private long replyBytes;
    private boolean rejected;

    ReplyGuard(ReplyLimits limits) {
        this.limits = limits;
        this.open = new long[limits.maxDepth()];
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            ReplyRejected problem = check(bytes);
            if (problem != null) {
                rejected = true;
                ReferenceCountUtil.release(msg);
                // Lettuce fails the oldest command waiting for a reply with this cause, then the close fails the rest
                ctx.fireExceptionCaught(problem);
                ctx.close();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private ReplyRejected check(ByteBuf bytes) {
        int index = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (index < end) {
            if (state == BODY) {
                int skip = (int) Math.min(bodyLeft, end - index);
                index += skip;
                bodyLeft -= skip;
                replyBytes += skip;
                if (bodyLeft == 0) {
                    state = TYPE;
                    elementDone();
                }
                continue;
            }
            byte b = bytes.getByte(index++);
            replyBytes++;
            if (state == TYPE) {
                if ("+-:,#_(=$!*%~>|".indexOf(b) < 0) {
                    return new ReplyRejected("a byte that starts no RESP reply (" + (b & 0xff) + ")", null);
                }
                kind = b;
                state = LINE;
                lineLength = 0;
                number = 0;
                negative = false;
                digitsOnly = true;
                sawCr = false;
                continue;
            }
            if (b == '\n') {
                if (!sawCr) {
                    // Lettuce would end the line here and read the rest as a reply of its own
                    return new ReplyRejected("a line feed inside a status or error line (RESP forbids it)", null);
                }
                ReplyRejected problem = lineDone();
                if (problem != null) {
                    return problem;
                }
                continue;
            }
            sawCr = b == '\r';
            if (!sawCr) {
                if (++lineLength > limits.maxLineBytes()) {
                    return limits.longLine();
                }
                if (b == '-' && lineLength == 1) {
                    negative = true;
                }
                else if (b >= '0' && b <= '9' && digitsOnly && number < Long.MAX_VALUE / 10 - 10) {
                    number = number * 10 + (b - '0');
                }
                else {
                    digitsOnly = false;
                }
            }
            if (replyBytes > limits.maxReplyBytes()) {
                return limits.checkReply(replyBytes);
            }
        }
        return replyBytes > limits.maxReplyBytes() ? limits.checkReply(replyBytes) : null;
    }

    /** A header or simple line ended: what it announces decides what comes next. */
    private ReplyRejected lineDone() {
        state = TYPE;
        long count = negative ? -number : number;
        switch (kind) {
            case '$', '=', '!' -> {
                if (!digitsOnly) {
                    return new ReplyRejected("a malformed length", null);
                }
                if (count < 0) {
                    elementDone();
                    return null;
                }
                ReplyRejected problem = limits.checkBulk(count);
                if (problem == null) {
                    problem = limits.checkReply(replyBytes + count);
                }
                if (problem != null) {
                    return problem;
                }
                state = BODY;
                bodyLeft = count + 2;
                return null;
            }
            case '*', '%', '~', '>', '|' -> {
                if (!digitsOnly) {
                    return new ReplyRejected("a malformed length", null);
                }
                long elements = kind == '%' || kind == '|' ? count * 2 : count;
                ReplyRejected problem = limits.checkElements(elements);
                if (problem != null) {
                    return problem;
                }
                if (elements <= 0) {
                    elementDone();
                    return null;
                }
                if (depth == open.length) {
                    return limits.deep();
                }
                open[depth++] = elements;
                return null;
            }
            default -> {
                elementDone();
                return null;
            }
        }
    }

    private void elementDone() {
        while (depth > 0 && --open[depth - 1] == 0) {
            depth--;
        }
        if (depth == 0) {
            replyBytes = 0;
        }
    }
}
