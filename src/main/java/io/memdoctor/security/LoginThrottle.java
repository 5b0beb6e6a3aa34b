package io.memdoctor.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Failed logins per user name and per client address within a sliding window. Past the limit on either, a login is
 * refused before its password is checked: bcrypt is slow on purpose, so checking would hand a guesser both the CPU
 * and the answer. Unknown user names count like known ones, so the throttle tells nobody which names exist.
 */
final class LoginThrottle {

    /** Keys kept at most; past it, expired ones are dropped, and if that is not enough, all of them. */
    static final int MAX_KEYS = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    LoginThrottle(SecurityProperties.Login settings, Clock clock) {
        this.maxFailures = settings.maxFailures();
        this.window = settings.window();
        this.clock = clock;
    }

    /** Whether this user name or this address has used up its failures in the window. */
    synchronized boolean blocked(String user, String address) {
        long now = clock.millis();
        return count(userKey(user), now) >= maxFailures || count(addressKey(address), now) >= maxFailures;
    }

    synchronized void failed(String user, String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_KEYS) {
            failures.values().removeIf(times -> expire(times, now).isEmpty());
            if (failures.size() >= MAX_KEYS) {
                failures.clear();
            }
        }
        failures.computeIfAbsent(userKey(user), k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent(addressKey(address), k -> new ArrayDeque<>()).addLast(now);
    }

    /** A good password clears the user's failures (not the address's: one valid account must not reset those). */
    synchronized void succeeded(String user) {
        failures.remove(userKey(user));
    }

    /** Keys held, for the bound's test. */
    synchronized int size() {
        return failures.size();
    }

    private int count(String key, long now) {
        Deque<Long> times = failures.get(key);
        return times == null ? 0 : expire(times, now).size();
    }

    private Deque<Long> expire(Deque<Long> times, long now) {
        long oldest = now - window.toMillis();
        while (!times.isEmpty() && times.peekFirst() <= oldest) {
            times.pollFirst();
        }
        return times;
    }

    private static String userKey(String user) {
        return "user:" + (user == null ? "" : user.toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
