package io.memdoctor.incidents.export;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.memdoctor.checks.CheckResult;
import io.memdoctor.diagnosis.Diagnosis;
import io.memdoctor.incidents.Capture;
import io.memdoctor.incidents.Fact;
import io.memdoctor.incidents.Incident;
import io.memdoctor.incidents.NodeCapture;
import io.memdoctor.incidents.ScanAttachment;
import io.memdoctor.scans.engine.KeyNames;
import io.memdoctor.scans.engine.PatternCollapser;
import io.memdoctor.scans.engine.ScanResults;

/**
 * {@code redactKeys=true}: key names can carry user data (emails, user ids, session tokens), so the id-like parts of
 * every key name become short stable hashes while the shape stays readable: {@code user:1001:feed} becomes
 * {@code user:<h:1a2b3c4d5e6f7081>:feed}. The same segment always gives the same token within one installation, so
 * the JSON, Markdown, CSV and HTML of one incident, and two incidents, can be compared. Which segments are id-like is
 * decided by the scan's own pattern rules ({@link PatternCollapser#keptPrefix}), plus emails.
 *
 * <p>The token is HMAC-SHA-256 under a per-installation secret (derived from the installation key, see
 * {@link io.memdoctor.secrets.SecretBox#derive}), cut to 64 bits. A plain hash with a public salt would not hide
 * anything: ids are short (a 7-digit user id has 10^7 values) and anyone with this code could hash them all and
 * read the export back. Without the secret there is nothing to enumerate against; 64 bits keep accidental
 * collisions out of reach for any keyspace.
 *
 * <p>Key names also turn up in check evidence, remedies and slow log arguments: those are redacted too, and slow
 * log values are hashed whole (see {@link #slowlogEntry}).
 */
final class KeyRedactor {

    /** The label the redaction key is derived under: distinct from every other use of the installation key. */
    static final String KEY_LABEL = "redact-keys/v2";
    /** Bytes of the HMAC kept in a token: 64 bits, the digits {@link KeyNames#redacted} takes. */
    static final int TOKEN_BYTES = KeyNames.REDACTED_HEX / 2;
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    private static final String DELIMITERS = ":/|.;,= #{}";
    /** Slow log arguments shown as they are: option words, and Redis' marker of the arguments it left out. */
    private static final Pattern KEPT_ARGUMENT = Pattern.compile(
            "[A-Z][A-Z_]{0,15}|\\.\\.\\. \\(\\d+ more arguments\\)");

    /** One per export, used by one thread: a {@link Mac} is not thread-safe, and keeping it saves an init per key. */
    private final Mac mac;

    KeyRedactor(byte[] secret) {
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JVM", ex);
        }
    }

    /** A key name with its id-like segments hashed. */
    String key(String key) {
        if (key == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(key.length() + 16);
        Matcher email = EMAIL.matcher(key);
        int last = 0;
        while (email.find()) {
            segments(key.substring(last, email.start()), out);
            out.append(hash(email.group()));
            last = email.end();
        }
        segments(key.substring(last), out);
        return out.toString();
    }

    private void segments(String part, StringBuilder out) {
        int start = 0;
        for (int i = 0; i <= part.length(); i++) {
            if (i == part.length() || DELIMITERS.indexOf(part.charAt(i)) >= 0) {
                String segment = part.substring(start, i);
                int kept = segment.isEmpty() ? 0 : PatternCollapser.keptPrefix(segment, 0, segment.length());
                out.append(segment, 0, kept);
                if (kept < segment.length()) {
                    out.append(hash(segment.substring(kept)));
                }
                if (i < part.length()) {
                    out.append(part.charAt(i));
                }
                start = i + 1;
            }
        }
    }

    String hash(String value) {
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return KeyNames.redacted(HexFormat.of().formatHex(digest, 0, TOKEN_BYTES));
    }

    /** The incident with every key name redacted, wherever it appears. */
    Incident incident(Incident incident) {
        Capture capture = incident.capture();
        Map<String, String> known = new LinkedHashMap<>();
        ScanAttachment scan = redacted(capture.scan(), known);
        ScanAttachment rdb = redacted(capture.rdb(), known);
        List<Map.Entry<String, String>> replacements = new ArrayList<>(known.entrySet());
        replacements.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        List<NodeCapture> nodes = capture.nodes().stream().map(node -> node.with(slowlog(node.facts()),
                checks(node.checks(), replacements), diagnosis(node.diagnosis(), replacements))).toList();
        return incident.withCapture(new Capture(slowlog(capture.facts()), checks(capture.checks(), replacements),
                diagnosis(capture.diagnosis(), replacements), capture.samples(), scan, rdb, nodes));
    }

    private static List<CheckResult> checks(List<CheckResult> checks, List<Map.Entry<String, String>> replacements) {
        return checks.stream().map(c -> new CheckResult(c.id(), c.severity(), c.title(),
                replace(c.evidence(), replacements), replace(c.remedy(), replacements))).toList();
    }

    private static Diagnosis diagnosis(Diagnosis d, List<Map.Entry<String, String>> replacements) {
        return d == null ? null : d.mapText(text -> replace(text, replacements));
    }

    private Map<String, Fact> slowlog(Map<String, Fact> captured) {
        Map<String, Fact> facts = new LinkedHashMap<>(captured);
        Fact slowlog = facts.get("slowlog");
        if (slowlog != null && slowlog.value() instanceof List<?> entries) {
            facts.put("slowlog", new Fact(slowlog.command(), slowlog.refused(), slowlog.reason(),
                    entries.stream().map(this::slowlogEntry).toList()));
        }
        return facts;
    }

    /** A keyspace report (a live scan's or an RDB file's) with its key names redacted, remembered in {@code known}. */
    private ScanAttachment redacted(ScanAttachment attachment, Map<String, String> known) {
        ScanResults results = attachment == null ? null : attachment.results();
        if (results == null) {
            return attachment;
        }
        results.topKeys().forEach(k -> known.put(k.key(), key(k.key())));
        results.biggestByType().values().forEach(b -> {
            remember(known, b.mostElements());
            remember(known, b.mostBytes());
        });
        return attachment.withResults(new ScanResults(results.keys(), results.keysVanished(),
                results.keysUnreadable(), results.bytes(), results.keysWithTtl(), results.memoryUsageAvailable(),
                results.note(), results.topKeys().stream().map(this::entry).toList(),
                biggest(results.biggestByType()), results.byType(), results.patterns().stream()
                        .map(p -> new ScanResults.PatternEntry(p.pattern().equals(ScanResults.OTHER_PATTERN)
                                ? p.pattern() : key(p.pattern()), p.keys(), p.bytes(), p.keysWithTtl(), p.share()))
                        .toList(), results.ttl()));
    }

    private void remember(Map<String, String> known, ScanResults.KeyEntry entry) {
        if (entry != null) {
            known.put(entry.key(), key(entry.key()));
        }
    }

    private ScanResults.KeyEntry entry(ScanResults.KeyEntry e) {
        return e == null ? null : e.named(key(e.key()));
    }

    private Map<String, ScanResults.Biggest> biggest(Map<String, ScanResults.Biggest> byType) {
        Map<String, ScanResults.Biggest> out = new LinkedHashMap<>();
        byType.forEach((type, b) -> out.put(type, new ScanResults.Biggest(entry(b.mostElements()),
                entry(b.mostBytes()))));
        return out;
    }

    /**
     * A slow log entry's arguments: the first after the command name (a key for nearly every command) is redacted
     * like a key, so its pattern stays readable. Later ones are values as often as keys ({@code SET k "free text"},
     * {@code HSET k field 1001}), and a value's words are not id-like, so they would pass the key rule: each is
     * hashed whole, numbers too, unless it is an upper-case option word ({@code EX}, {@code WITHSCORES}) or Redis'
     * own "... (2 more arguments)" marker.
     */
    private Object slowlogEntry(Object entry) {
        if (!(entry instanceof Map<?, ?> fields) || !(fields.get("command") instanceof List<?> args)) {
            return entry;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(String.valueOf(k), v));
        List<String> redacted = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = String.valueOf(args.get(i));
            if (i == 0 || i > 1 && KEPT_ARGUMENT.matcher(arg).matches()) {
                redacted.add(arg);
            }
            else {
                redacted.add(i == 1 ? key(arg) : hash(arg));
            }
        }
        out.put("command", redacted);
        return out;
    }

    private static String replace(String text, List<Map.Entry<String, String>> replacements) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Map.Entry<String, String> r : replacements) {
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }
}
