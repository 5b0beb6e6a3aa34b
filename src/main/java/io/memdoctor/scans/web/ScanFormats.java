package io.memdoctor.scans.web;

import java.util.Locale;

import org.springframework.stereotype.Component;

/** Units the scan pages need beyond {@code @fmt}: TTLs, durations, shares. Used as {@code ${@scanFmt.ttl(x)}}. */
@Component("scanFmt")
public class ScanFormats {

    /** A TTL in seconds for people: "no expiry", "45 s", "3 h 20 min", "12 d". */
    public String ttl(long seconds) {
        if (seconds < 0) {
            return "no expiry";
        }
        return duration(seconds);
    }

    /** A duration in seconds, rounded to its two largest units. */
    public String duration(double value) {
        long seconds = Math.round(value);
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86_400 + " d" + (seconds % 86_400 / 3600 == 0 ? "" : " " + seconds % 86_400 / 3600 + " h");
    }

    /** A share 0..1 as a percentage with one decimal. */
    public String share(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** A signed percentage, or an em dash. */
    public String percent(Double percent) {
        return percent == null ? "—" : String.format(Locale.ROOT, "%+.1f %%", percent);
    }

    /** A signed count, or an em dash. */
    public String signed(Long change) {
        return change == null ? "—" : String.format(Locale.ROOT, "%+,d", change);
    }

    /** A signed byte change in binary units, or an em dash. */
    public String signedBytes(Long change) {
        if (change == null) {
            return "—";
        }
        double bytes = Math.abs(change);
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        String sign = change < 0 ? "−" : "+";
        return unit == 0 ? sign + Math.abs(change) + " B"
                : sign + String.format(Locale.ROOT, bytes >= 100 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    }
}
