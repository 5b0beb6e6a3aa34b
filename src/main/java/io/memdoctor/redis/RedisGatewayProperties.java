package io.memdoctor.redis;

import io.memdoctor.redis.resp.ReplyLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code memdoctor.redis.*}: how much of a reply the dashboard accepts from a Redis server, per use.
 * A server that answers beyond a limit (broken, or hostile) fails that command with a reason naming the limit.
 *
 * @param commands limits for sampling (INFO all, DBSIZE), CONFIG GET and incident facts
 * @param scans limits for keyspace scans (SCAN pages, TYPE, MEMORY USAGE and the like)
 */
@ConfigurationProperties("memdoctor.redis")
public record RedisGatewayProperties(@DefaultValue Commands commands, @DefaultValue Scans scans) {

    /**
     * The commands that read INFO and friends, over Lettuce. Their largest answers: CLIENT LIST, about 300 bytes
     * per client (3 MB at the default maxclients of 10,000); SLOWLOG GET 128 at most about 600 KB (Redis keeps 32
     * arguments of 128 bytes per entry); INFO all about 10 KB; CONFIG GET * about 400 pairs; MEMORY STATS about
     * 60 fields. The defaults leave room for these and still keep a hostile server to a few MiB per connection.
     *
     * @param maxLine longest status, error or number line
     * @param maxBulk longest bulk string (INFO's text is one, CLIENT LIST's another)
     * @param maxElements most elements in one array
     * @param maxReply most bytes in one whole reply
     */
    public record Commands(@DefaultValue("64KB") DataSize maxLine, @DefaultValue("8MB") DataSize maxBulk,
            @DefaultValue("10000") int maxElements, @DefaultValue("8MB") DataSize maxReply) {

        ReplyLimits limits() {
            return new ReplyLimits(Math.toIntExact(maxLine.toBytes()), maxBulk.toBytes(), maxElements, 8,
                    maxReply.toBytes(), "memdoctor.redis.commands");
        }
    }

    /**
     * The scan's own RESP client. Key names are its only long strings: up to 1 MiB each are accepted (Redis allows
     * 512 MB, but a name that long is an accident or an attack; names over 1 KiB are stored shortened). A SCAN page
     * holds about COUNT keys (at most 10,000); 100,000 elements and 16 MiB leave room for pages of long names.
     *
     * @param maxLine longest status, error or number line
     * @param maxBulk longest bulk string (a key name)
     * @param maxElements most elements in one array (a SCAN page)
     * @param maxReply most bytes in one whole reply (a SCAN page)
     */
    public record Scans(@DefaultValue("64KB") DataSize maxLine, @DefaultValue("1MB") DataSize maxBulk,
            @DefaultValue("100000") int maxElements, @DefaultValue("16MB") DataSize maxReply) {

        ReplyLimits limits() {
            return new ReplyLimits(Math.toIntExact(maxLine.toBytes()), maxBulk.toBytes(), maxElements, 2,
                    maxReply.toBytes(), "memdoctor.redis.scans");
        }
    }
}
