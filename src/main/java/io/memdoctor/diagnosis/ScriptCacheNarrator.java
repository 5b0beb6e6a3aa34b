package io.memdoctor.diagnosis;

import java.util.ArrayList;
import java.util.List;

import io.memdoctor.snapshots.Metric;

import static io.memdoctor.diagnosis.Text.bytes;
import static io.memdoctor.diagnosis.Text.count;

/**
 * The script cache grew: EVAL of scripts that differ each time (values written into the script's text) caches each
 * one, and before Redis 7.4 never drops them (7.4+ evicts EVAL scripts past 500: evicted_scripts shows the same
 * habit there). Growing by a significant amount is WARNING; many scripts that take little memory, or a bounded cache
 * that evicts, are INFO.
 */
final class ScriptCacheNarrator {

    private ScriptCacheNarrator() {
    }

    static Finding narrate(Signals s, Signals.Part memory) {
        Signals.Part scripts = s.part(Metric.NUMBER_OF_CACHED_SCRIPTS);
        List<String> evidence = new ArrayList<>();
        evidence.add("number_of_cached_scripts " + count(scripts.start()) + " → " + count(scripts.end()) + ".");
        evidence.add("used_memory_scripts + used_memory_vm_eval (the cache and the Lua VM) " + bytes(memory.start())
                + " → " + bytes(memory.end()) + ", highest " + bytes(memory.peak()) + ".");
        long evicted = Signals.Counter.of(s.all, Metric.EVICTED_SCRIPTS).total();
        if (evicted > 0) {
            evidence.add("evicted_scripts grew by " + count(evicted) + ": Redis 7.4+ drops the oldest EVAL scripts past"
                    + " 500, so the cache is bounded here, and clients recompile.");
        }
        evidence.add(s.datasetLine());
        evidence.add(s.headroomLine());
        boolean big = memory.rise() >= s.significant;
        Severity severity = big && evicted == 0 ? Severity.WARNING : Severity.INFO;
        String summary = evicted >= Diagnoser.MANY_SCRIPTS && !big
                ? "Script cache: Redis evicted " + count(evicted) + " Lua scripts (" + count(scripts.end()) + " cached"
                        + " now): a client sends a new script on every call. Redis 7.4+ bounds the cache, so memory"
                        + " holds, but every call is compiled again."
                : "Script cache: " + count(scripts.rise()) + " new Lua scripts cached (" + count(scripts.end())
                        + " now), taking " + bytes(memory.end()) + " (up " + bytes(memory.rise()) + "): scripts built"
                        + " with values inside their text are each compiled and kept, not data.";
        List<String> steps = new ArrayList<>();
        steps.add(s.cli + " INFO memory   # number_of_cached_scripts, used_memory_scripts, used_memory_vm_eval");
        steps.add(s.cli + " SCRIPT FLUSH ASYNC   # frees them; clients get NOSCRIPT and send EVAL again");
        steps.add("Fix the caller: pass the values as KEYS and ARGV to one script, load it once (SCRIPT LOAD) and call"
                + " EVALSHA, so one script is cached instead of one per call.");
        steps.add("Find the caller: " + s.cli + " SLOWLOG GET 20 or MONITOR briefly (on a quiet moment) shows the EVALs.");
        return new Finding(Verdict.SCRIPT_CACHE, s.weighed(severity), summary, evidence, steps);
    }
}
