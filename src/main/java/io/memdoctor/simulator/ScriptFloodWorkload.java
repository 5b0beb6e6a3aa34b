package io.memdoctor.simulator;

import io.lettuce.core.ScriptOutputType;

/**
 * A client that builds its Lua script with the value inside (the classic mistake): every call is a new script,
 * which Redis compiles and caches. 2,000 calls a second of distinct 500-byte scripts, up to {@link #CAP} of them.
 *
 * <p>Before Redis 7.4 the client sends EVAL, and every script stays cached. Redis 7.4+ (and Valkey 8) evict EVAL
 * scripts past 500 ({@code evicted_scripts} in INFO): the same EVALs leave the cache bounded at about 300 KB, no
 * memory incident (measured: 20,000 EVALs on 7.4.1 and Valkey 8.0.1 leave 500 cached, 19,500 evicted). What still
 * grows the cache there is a script loaded with SCRIPT LOAD (never evicted), as a client library does when it
 * turns a NOSCRIPT into SCRIPT LOAD + EVALSHA: so on a server that reports {@code evicted_scripts}, each new script
 * is loaded, then called with EVALSHA.
 */
final class ScriptFloodWorkload implements Workload {

    static final int PER_TICK = 200;
    static final long CAP = 300_000;

    @Override
    public void prepare(Load load) {
        load.setMany("item:", 0, 20_000, 500, 0);
    }

    @Override
    public void run(Load load) {
        boolean evictsEvalScripts = load.infoField("stats", "evicted_scripts") != null;
        String padding = load.randomText(480).replace("'", "").replace("\\", "");
        long next = 0;
        while (load.running()) {
            if (next < CAP) {
                long base = next;
                if (evictsEvalScripts) {
                    String[] shas = new String[PER_TICK];
                    load.batch(PER_TICK, i -> {
                        String script = script(base + i, padding);
                        shas[i] = load.commands().digest(script);
                        return load.commands().scriptLoad(script);
                    });
                    load.batch(PER_TICK, i -> load.commands().evalsha(shas[i], ScriptOutputType.VALUE));
                }
                else {
                    load.batch(PER_TICK, i -> load.commands().eval(script(base + i, padding), ScriptOutputType.VALUE));
                }
                next += PER_TICK;
            }
            load.pause(100);
        }
    }

    private static String script(long n, String padding) {
        return "return 'item " + n + " " + padding + "'";
    }
}
