package io.memdoctor.replicas;

import javax.sql.DataSource;

import io.memdoctor.config.MemDoctorProperties;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import io.memdoctor.scans.ScanReplica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;

/**
 * Several dashboard processes on one database ({@code memdoctor.replicas.enabled=true}): sampling by lease,
 * {@code @SchedulerLock} jobs (retention) on one replica at a time through ShedLock's table, and login sessions in
 * the database (Spring Session JDBC) so a user keeps theirs when the load balancer switches replica.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("memdoctor.replicas.enabled")
@EnableSchedulerLock(defaultLockAtMostFor = "10m")
@EnableJdbcHttpSession
class ReplicaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReplicaConfiguration.class);

    @Bean
    SamplingLeases samplingLeases(JdbcTemplate jdbc, ReplicaProperties replicas, MemDoctorProperties properties) {
        log.info("Replica {}: sampling by lease, scheduled jobs under ShedLock, sessions in the database",
                replicas.id());
        return new SamplingLeases(jdbc, replicas.id(), properties.sampling().interval().multipliedBy(3).dividedBy(2));
    }

    @Bean
    LeaseOwnership leaseOwnership(SamplingLeases leases, MemDoctorProperties properties,
            ApplicationEventPublisher events) {
        return new LeaseOwnership(leases, properties.sampling().interval(), events);
    }

    /** Scans: each replica's progress and heartbeat in the shared rows; a scan is interrupted only when its replica died. */
    @Bean
    ScanReplica scanReplica(ReplicaProperties replicas) {
        return new ScanReplica(replicas.id(), true);
    }

    @Bean
    LockProvider lockProvider(DataSource dataSource) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource)).usingDbTime().build());
    }
}
