package io.memdoctor.simulator;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the {@code demo} profile, under {@code memdoctor.demo}.
 *
 * @param scenario which scenario to run: one id ({@code unbounded-list}, {@code ttl-loss}, {@code fragmentation},
 *     {@code copy-on-write}, {@code maxmemory-noeviction}, {@code client-buffers}, {@code replica-paused},
 *     {@code script-cache}, {@code healthy}), a comma-separated list, or {@code all}
 *     (each on its own redis-server and instance, side by side)
 */
@ConfigurationProperties("memdoctor.demo")
record DemoProperties(@DefaultValue("all") String scenario) {
}
